// SPDX-License-Identifier: GPL-2.0
/*
 * Licensed sessions: acquire, release, dump, and the events that report
 * them.
 *
 * A session belongs to the netlink socket that acquired it (its port id in
 * the caller's namespace) and is released when that socket closes, so an
 * agent that crashes or is killed loses no capacity: the netlink core
 * reports the close (NETLINK_URELEASE) and ucp_session_sock_release() gives
 * every session of that port back. Sessions are hashed by owner port, so a
 * release or a close looks at one bucket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "license.h"
#include "ucproxy.h"

struct ucp_session {
	struct hlist_node node;		/* in ucp_licensing.sessions */
	u64 id;
	u32 portid;			/* owner */
	enum ucp_app app;
};

/* Events: best effort, to whoever listens on "events" in @net. */
static void ucp_session_event(struct net *net, u8 cmd,
			      const struct ucp_session *s,
			      const struct ucp_refusal *ref, enum ucp_app app)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ucp_genl_family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ucp_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, UCP_A_APP, app))
		goto err_free;
	if (s && (nla_put_u64_64bit(msg, UCP_A_SESSION_ID, s->id, UCP_A_PAD) ||
		  nla_put_u32(msg, UCP_A_OWNER_PORTID, s->portid)))
		goto err_free;
	if (ref && (nla_put_u32(msg, UCP_A_REFUSED_RULE, ref->rule) ||
		    nla_put_u32(msg, UCP_A_REFUSED_LIMIT, ref->limit)))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&ucp_genl_family, net, msg, 0, 0, GFP_ATOMIC);
	return;

err_free:
	nlmsg_free(msg);
}

int ucp_nl_session_acquire(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_refusal ref = {};
	struct ucp_session *s;
	struct sk_buff *msg;
	enum ucp_app app;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_APP))
		return -EINVAL;
	app = nla_get_u32(info->attrs[UCP_A_APP]);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!msg || !s) {
		err = -ENOMEM;
		goto err_free;
	}
	s->portid = info->snd_portid;
	s->app = app;

	spin_lock_bh(&l->lock);
	err = ucp_license_acquire(&l->lic, app, &ref);
	if (!err) {
		s->id = ++l->next_session_id;
		hash_add(l->sessions, &s->node, s->portid);
	}
	spin_unlock_bh(&l->lock);
	if (err) {
		ucp_session_event(net, UCP_CMD_EVENT_LIMIT_REACHED, NULL, &ref,
				  app);
		nlmsg_free(msg);
		kfree(s);
		return ucp_license_refuse(info, UCP_CMD_SESSION_ACQUIRE, &ref,
					  err);
	}
	ucp_session_event(net, UCP_CMD_EVENT_SESSION_UP, s, NULL, app);

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
	kfree(s);
	return err;
}

int ucp_nl_session_release(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_session *s, *found = NULL;
	u64 id;

	if (GENL_REQ_ATTR_CHECK(info, UCP_A_SESSION_ID))
		return -EINVAL;
	id = nla_get_u64(info->attrs[UCP_A_SESSION_ID]);

	spin_lock_bh(&l->lock);
	hash_for_each_possible(l->sessions, s, node, info->snd_portid) {
		if (s->id == id && s->portid == info->snd_portid) {
			hash_del(&s->node);
			ucp_license_release(&l->lic, s->app);
			found = s;
			break;
		}
	}
	spin_unlock_bh(&l->lock);
	if (!found) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[UCP_A_SESSION_ID],
				    "ucproxy: no such session held by this socket");
		return -ENOENT;
	}
	ucp_session_event(net, UCP_CMD_EVENT_SESSION_DOWN, found, NULL,
			  found->app);
	kfree(found);
	return 0;
}

/* Every session of @portid goes back: its socket closed. */
static void ucp_session_sock_release(struct net *net, u32 portid)
{
	struct ucp_licensing *l = &ucp_net(net)->licensing;
	struct ucp_session *s;
	struct hlist_node *tmp;
	HLIST_HEAD(gone);

	spin_lock_bh(&l->lock);
	hash_for_each_possible_safe(l->sessions, s, tmp, node, portid) {
		if (s->portid != portid)
			continue;
		hash_del(&s->node);
		ucp_license_release(&l->lic, s->app);
		hlist_add_head(&s->node, &gone);
	}
	spin_unlock_bh(&l->lock);

	hlist_for_each_entry_safe(s, tmp, &gone, node) {
		ucp_session_event(net, UCP_CMD_EVENT_SESSION_DOWN, s, NULL,
				  s->app);
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

int ucp_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
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

void ucp_sessions_init(struct ucp_licensing *l)
{
	hash_init(l->sessions);
	l->next_session_id = 0;
}

/* The namespace is going: its sockets are closed, nothing else refers. */
void ucp_sessions_free(struct ucp_licensing *l)
{
	struct ucp_session *s;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(l->sessions, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
	}
}

int ucp_sessions_register(void)
{
	return netlink_register_notifier(&ucp_session_notifier);
}

void ucp_sessions_unregister(void)
{
	netlink_unregister_notifier(&ucp_session_notifier);
}
