// SPDX-License-Identifier: GPL-2.0
/*
 * Licensed sessions: acquire, release and dump (events.c reports them).
 *
 * A session belongs to the netlink socket that acquired it (its port id in
 * the caller's namespace) and is released when that socket closes, so an
 * agent that crashes or is killed loses no capacity: the netlink core
 * reports the close (NETLINK_URELEASE) and ucp_session_sock_release() gives
 * every session of that port back.
 *
 * Two indexes keep both paths O(1) however many sessions one agent holds:
 * sessions hashed by id (release), and owners hashed by port id, each with
 * the list of its sessions (close). Every netlink socket that closes in the
 * namespace asks, so the close of one that holds nothing costs one lookup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "events.h"
#include "license.h"
#include "netlink-gen.h"
#include "ucproxy.h"

/* A socket that holds sessions. */
struct ucp_owner {
	struct hlist_node node;		/* in ucp_licensing.owners */
	struct list_head sessions;	/* struct ucp_session.owner_node */
	u32 portid;
};

struct ucp_session {
	struct hlist_node node;		/* in ucp_licensing.sessions, by id */
	struct list_head owner_node;
	struct ucp_owner *owner;
	u64 id;
	u32 portid;			/* the owner's, for dumps and events */
	enum ucp_app app;
};

static struct ucp_owner *ucp_owner_find(struct ucp_licensing *l, u32 portid)
{
	struct ucp_owner *o;

	hash_for_each_possible(l->owners, o, node, portid)
		if (o->portid == portid)
			return o;
	return NULL;
}

/* Unlinks @s; returns its owner if that now holds nothing, for freeing. */
static struct ucp_owner *ucp_session_unlink(struct ucp_licensing *l,
					    struct ucp_session *s)
{
	struct ucp_owner *o = s->owner;

	hash_del(&s->node);
	list_del(&s->owner_node);
	ucp_license_release(&l->lic, s->app);
	if (!list_empty(&o->sessions))
		return NULL;
	hash_del(&o->node);
	return o;
}

int ucp_nl_session_acquire_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_owner *owner, *spare;
	struct ucp_refusal ref = {};
	struct ucp_session *s;
	struct sk_buff *msg;
	enum ucp_app app;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_APP))
		return -EINVAL;
	app = nla_get_u32(info->attrs[UCP_A_APP]);
	/* Allocated up front: nothing may sleep under the lock. */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!msg || !s || !spare) {
		err = -ENOMEM;
		goto err_free;
	}
	s->portid = info->snd_portid;
	s->app = app;

	spin_lock_bh(&l->lock);
	err = ucp_license_acquire(&l->lic, app, &ref);
	if (!err) {
		owner = ucp_owner_find(l, s->portid);
		if (!owner) {
			owner = spare;
			spare = NULL;
			owner->portid = s->portid;
			INIT_LIST_HEAD(&owner->sessions);
			hash_add(l->owners, &owner->node, owner->portid);
		}
		s->owner = owner;
		s->id = ++l->next_session_id;
		list_add_tail(&s->owner_node, &owner->sessions);
		hash_add(l->sessions, &s->node, s->id);
	}
	spin_unlock_bh(&l->lock);
	kfree(spare);
	if (err) {
		ucp_event_limit(net, app, &ref);
		nlmsg_free(msg);
		kfree(s);
		return ucp_license_refuse(info, UCP_CMD_SESSION_ACQUIRE, &ref,
					  err);
	}
	ucp_event_session(net, UCP_CMD_EVENT_SESSION_UP, s->id, s->portid, app);

	hdr = genlmsg_put_reply(msg, info, &ucp_genl_family, 0,
				UCP_CMD_SESSION_ACQUIRE);
	/* The session stands even if the reply cannot be built: it is the
	 * socket's, and goes with it.
	 */
	if (!hdr ||
	    nla_put_u64_64bit(msg, UCP_A_SESSION_ID, s->id, UCP_A_PAD) ||
	    nla_put_u32(msg, UCP_A_APP, app)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	kfree(spare);
	kfree(s);
	return err;
}

int ucp_nl_session_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_session *s, *found = NULL;
	struct ucp_owner *gone = NULL;
	u64 id;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_SESSION_ID))
		return -EINVAL;
	id = nla_get_u64(info->attrs[UCP_A_SESSION_ID]);

	spin_lock_bh(&l->lock);
	hash_for_each_possible(l->sessions, s, node, id) {
		/* Another socket's session is not this one's to release. */
		if (s->id == id && s->portid == info->snd_portid) {
			gone = ucp_session_unlink(l, s);
			found = s;
			break;
		}
	}
	spin_unlock_bh(&l->lock);
	kfree(gone);
	if (!found) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[UCP_A_SESSION_ID],
				    "ucproxy: no such session held by this socket");
		return -ENOENT;
	}
	ucp_event_session(net, UCP_CMD_EVENT_SESSION_DOWN, found->id,
			  found->portid, found->app);
	kfree(found);
	return 0;
}

/* Every session of @portid goes back: its socket closed. */
static void ucp_session_sock_release(struct net *net, u32 portid)
{
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_session *s, *tmp;
	struct ucp_owner *o;
	LIST_HEAD(gone);

	spin_lock_bh(&l->lock);
	o = ucp_owner_find(l, portid);
	if (o) {
		list_for_each_entry(s, &o->sessions, owner_node) {
			hash_del(&s->node);
			ucp_license_release(&l->lic, s->app);
		}
		list_splice_init(&o->sessions, &gone);
		hash_del(&o->node);
	}
	spin_unlock_bh(&l->lock);
	kfree(o);

	list_for_each_entry_safe(s, tmp, &gone, owner_node) {
		ucp_event_session(net, UCP_CMD_EVENT_SESSION_DOWN, s->id,
				  s->portid, s->app);
		kfree(s);
	}
}

static int ucp_session_notify(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	struct netlink_notify *n = data;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		ucp_session_sock_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block ucp_session_notifier = {
	.notifier_call = ucp_session_notify,
};

/* The dump resumes at a bucket, skipping the sessions already sent. */
struct ucp_session_dump {
	unsigned int bucket;
	unsigned int skip;
};

static_assert(sizeof(struct ucp_session_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

static int ucp_session_put(struct sk_buff *skb, struct netlink_callback *cb,
			   const struct ucp_session *s)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ucp_genl_family, NLM_F_MULTI, UCP_CMD_SESSION_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, UCP_A_SESSION_ID, s->id, UCP_A_PAD) ||
	    nla_put_u32(skb, UCP_A_APP, s->app) ||
	    nla_put_u32(skb, UCP_A_OWNER_PORTID, s->portid)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int ucp_nl_session_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ucp_licensing *l = &ucp_net(sock_net(skb->sk))->licensing;
	struct ucp_session_dump *ctx = (struct ucp_session_dump *)cb->ctx;
	const struct ucp_session *s;
	unsigned int n;

	spin_lock_bh(&l->lock);
	for (; ctx->bucket < HASH_SIZE(l->sessions); ctx->bucket++) {
		n = 0;
		hlist_for_each_entry(s, &l->sessions[ctx->bucket], node) {
			if (n++ < ctx->skip)
				continue;
			if (ucp_session_put(skb, cb, s))
				goto full;
			ctx->skip++;
		}
		ctx->skip = 0;
	}
full:
	spin_unlock_bh(&l->lock);
	return skb->len;
}

/**
 * ucp_sessions_init() - a namespace's session indexes, empty
 * @l: its licensing, whose lock is initialised
 */
void ucp_sessions_init(struct ucp_licensing *l)
{
	hash_init(l->sessions);
	hash_init(l->owners);
	l->next_session_id = 0;
}

/**
 * ucp_sessions_free() - free a namespace's sessions
 * @l: its licensing
 *
 * The namespace is going: its sockets are closed and nothing else refers
 * to the sessions.
 */
void ucp_sessions_free(struct ucp_licensing *l)
{
	struct ucp_session *s;
	struct ucp_owner *o;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(l->sessions, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
	}
	hash_for_each_safe(l->owners, bkt, tmp, o, node) {
		hash_del(&o->node);
		kfree(o);
	}
}

/**
 * ucp_sessions_register() - follow netlink sockets' closes
 *
 * A socket's close gives back the sessions it holds.
 *
 * Return: 0 or -errno.
 */
int ucp_sessions_register(void)
{
	return netlink_register_notifier(&ucp_session_notifier);
}

/**
 * ucp_sessions_unregister() - stop following closes
 */
void ucp_sessions_unregister(void)
{
	netlink_unregister_notifier(&ucp_session_notifier);
}
