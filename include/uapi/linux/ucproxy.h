/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * ucproxy: Unified Communications proxy for Linux routers.
 *
 * Generic netlink interface of the "ucproxy" family. The authoritative
 * description is Documentation/netlink/ucproxy.yaml; this header matches it
 * (scripts/check-uapi compares the two).
 *
 * Every command needs CAP_NET_ADMIN and acts on the caller's network
 * namespace. Refusals carry an extack message.
 */
#ifndef _UAPI_LINUX_UCPROXY_H
#define _UAPI_LINUX_UCPROXY_H

#define UCP_GENL_NAME		"ucproxy"
#define UCP_GENL_VERSION	1
#define UCP_MCGRP_EVENTS	"events"

/* What this module build implements (UCP_A_CAPS bits). */
enum ucp_capability {
	UCP_CAP_INFO		= 1 << 0,
	UCP_CAP_STATS		= 1 << 1,
	UCP_CAP_LICENSE		= 1 << 2,
	UCP_CAP_SESSIONS	= 1 << 3,
	UCP_CAP_SIP		= 1 << 4,
	UCP_CAP_SCCP		= 1 << 5,
	UCP_CAP_SRTP		= 1 << 6,
	UCP_CAP_INSPECT		= 1 << 7,
};

/* Application classes of the licensing rules (DESIGN.md, rules 1-8). */
enum ucp_app {
	UCP_APP_PHONE_PROXY = 1,
	UCP_APP_TLS_PROXY,		/* encrypted voice inspection */
	UCP_APP_PRESENCE_FED,
	UCP_APP_MOBILITY,		/* never counted against the UC license */
	UCP_APP_IME,			/* needs the IME license */
	UCP_APP_SRTP,			/* translated media (not passthrough) */
	__UCP_APP_MAX,
};

#define UCP_APP_MAX (__UCP_APP_MAX - 1)

enum ucp_export_class {
	UCP_EXPORT_K8 = 1,	/* TLS at most 1000, SRTP at most 250 */
	UCP_EXPORT_K9,		/* TLS up to the platform, SRTP unlimited */
};

/* Which licensing rule refused a session (UCP_A_REFUSED_RULE). */
enum ucp_rule {
	UCP_RULE_NONE = 0,
	UCP_RULE_NO_LICENSE = 1,	/* rule 1: feature not licensed */
	UCP_RULE_UC_LICENSE = 2,	/* rules 1-2: UC license sessions used */
	UCP_RULE_TLS_LIMIT = 3,		/* rule 3: tls-proxy maximum-sessions */
	UCP_RULE_EXPORT_CLASS = 4,	/* rule 4: K8 caps TLS and SRTP */
	UCP_RULE_PHONE_PROXY_CAP = 6,	/* rule 6: phone proxy at most 5000 */
	UCP_RULE_IME = 8,		/* rule 8: IME sharing */
	UCP_RULE_NO_ENCRYPTION = 9,	/* rule 9: no payload encryption */
	UCP_RULE_PLATFORM = 10,		/* rule 10: tier or limit of the model */
};

enum ucp_proto {
	UCP_PROTO_SIP = 1,
	UCP_PROTO_SCCP,
};

enum ucp_verdict {
	UCP_VERDICT_FORWARD = 1,	/* send UCP_A_MESSAGE on */
	UCP_VERDICT_DROP,		/* malformed or refused: do not relay */
};

enum ucp_dir {
	UCP_DIR_ORIGINAL = 0,		/* from the connection's initiator */
	UCP_DIR_REPLY,
};

enum ucp_srtp_suite {
	UCP_SUITE_NONE = 0,		/* plain RTP leg */
	UCP_SUITE_AES_CM_128_HMAC_SHA1_80,
	UCP_SUITE_AES_CM_128_HMAC_SHA1_32,
	UCP_SUITE_AES_256_CM_HMAC_SHA1_80,
	UCP_SUITE_AES_256_CM_HMAC_SHA1_32,
	UCP_SUITE_AEAD_AES_128_GCM,
	UCP_SUITE_AEAD_AES_256_GCM,
};

enum ucp_media_mode {
	UCP_MEDIA_SRTP_TO_RTP = 1,
	UCP_MEDIA_RTP_TO_SRTP,
	UCP_MEDIA_SRTP_TO_SRTP,		/* different keys per leg */
	UCP_MEDIA_PASSTHROUGH,		/* no crypto, not counted */
};

/*
 * Which side of a signalling connection ucproxy keeps on SRTP with keys of
 * its own (Documentation/media.md). The other side gets plain RTP, unless
 * both are secure.
 */
enum ucp_media_policy {
	UCP_MEDIA_POLICY_PASSTHROUGH = 0,	/* never translate */
	UCP_MEDIA_POLICY_SECURE_ORIGINAL,	/* the initiator's side */
	UCP_MEDIA_POLICY_SECURE_REPLY,		/* the responder's side */
	UCP_MEDIA_POLICY_SECURE_BOTH,		/* own keys on both sides */
};

enum ucp_media_state {
	UCP_MEDIA_STATE_OFFERED = 1,	/* one side's keys known */
	UCP_MEDIA_STATE_ACTIVE,		/* both sides known: translating */
	UCP_MEDIA_STATE_ENDED,		/* the call ended; packets dropped */
};

enum ucp_cmd {
	UCP_CMD_UNSPEC,
	UCP_CMD_INFO_GET,		/* do: module and kernel identity */
	UCP_CMD_STATS_GET,		/* dump: counters (totals or per CPU) */
	UCP_CMD_LICENSE_GET,		/* do: license, limits and usage */
	UCP_CMD_LICENSE_SET,		/* do: platform, UC tier, IME, export */
	UCP_CMD_TLS_LIMIT_SET,		/* do: tls-proxy maximum-sessions N */
	UCP_CMD_LIMITS_GET,		/* do: tls-proxy maximum-sessions ? */
	UCP_CMD_CONFIG_CLEAR,		/* do: clear configure all */
	UCP_CMD_SESSION_ACQUIRE,	/* do: one licensed session */
	UCP_CMD_SESSION_RELEASE,	/* do */
	UCP_CMD_SESSION_GET,		/* dump: held sessions */
	UCP_CMD_MEDIA_GET,		/* dump: media sessions (never keys) */
	UCP_CMD_SIGNAL_INSPECT,		/* do: parse and rewrite one message */
	UCP_CMD_EVENT_SESSION_UP,	/* multicast "events" */
	UCP_CMD_EVENT_SESSION_DOWN,	/* multicast "events" */
	UCP_CMD_EVENT_LIMIT_REACHED,	/* multicast "events" */
	UCP_CMD_MEDIA_POLICY_GET,	/* do: the namespace's media policy */
	UCP_CMD_MEDIA_POLICY_SET,	/* do */
	__UCP_CMD_MAX,
};

#define UCP_CMD_MAX (__UCP_CMD_MAX - 1)

enum ucp_attr {
	UCP_A_UNSPEC,
	UCP_A_PAD,
	/* info */
	UCP_A_VERSION,			/* string: module version */
	UCP_A_KERNEL,			/* string: kernel release */
	UCP_A_CAPS,			/* u64: enum ucp_capability bits */
	/* stats */
	UCP_A_STATS_PER_CPU,		/* flag: one message per possible CPU */
	UCP_A_CPU,			/* u32 */
	UCP_A_COUNTER,			/* nest ucp_counter_attr, multi */
	/* license and limits */
	UCP_A_PLATFORM,			/* string: asa5505 ... linux */
	UCP_A_UC_SESSIONS,		/* u32: UC license tier */
	UCP_A_IME,			/* u8: IME license on (1) or off (0) */
	UCP_A_EXPORT,			/* u8: enum ucp_export_class */
	UCP_A_TLS_MAX,			/* u32: configured TLS proxy limit */
	UCP_A_TLS_DEFAULT,		/* u32: platform default */
	UCP_A_TLS_PLATFORM_MAX,		/* u32: platform maximum */
	UCP_A_TLS_QUERY,		/* flag: "maximum-sessions ?" */
	UCP_A_USAGE,			/* nest ucp_usage_attr, multi */
	UCP_A_WARNING,			/* string */
	UCP_A_TIER,			/* u32, multi: UC tiers of a platform */
	/* sessions */
	UCP_A_APP,			/* u32: enum ucp_app */
	UCP_A_SESSION_ID,		/* u64 */
	UCP_A_OWNER_PORTID,		/* u32 */
	UCP_A_REFUSED_RULE,		/* u32: enum ucp_rule */
	UCP_A_REFUSED_LIMIT,		/* u32 */
	/* signalling inspection */
	UCP_A_PROTO,			/* u8: enum ucp_proto */
	UCP_A_FLOW,			/* nest ucp_flow_attr */
	UCP_A_DIR,			/* u8: enum ucp_dir */
	UCP_A_MESSAGE,			/* binary: one complete message */
	UCP_A_VERDICT,			/* u8: enum ucp_verdict */
	/* media */
	UCP_A_MEDIA_ID,			/* u64 */
	UCP_A_MEDIA_MODE,		/* u8: enum ucp_media_mode */
	UCP_A_MEDIA_LEG,		/* nest ucp_leg_attr, multi (two) */
	UCP_A_REASON,			/* string: why a request was refused */
	UCP_A_PEER_FLOW,		/* nest ucp_flow_attr: inspect's source */
	UCP_A_MEDIA_POLICY,		/* u8: enum ucp_media_policy */
	UCP_A_MEDIA_STREAM,		/* u8: the m= line (SIP) or stream index */
	UCP_A_MEDIA_AGE_MS,		/* u64: milliseconds since set up */
	UCP_A_MEDIA_STATE,		/* u8: enum ucp_media_state */
	__UCP_A_MAX,
};

#define UCP_A_MAX (__UCP_A_MAX - 1)

enum ucp_counter_attr {
	UCP_COUNTER_A_UNSPEC,
	UCP_COUNTER_A_PAD,
	UCP_COUNTER_A_ID,		/* u32: enum ucp_counter */
	UCP_COUNTER_A_NAME,		/* string: "group.name" */
	UCP_COUNTER_A_VALUE,		/* u64 */
	__UCP_COUNTER_A_MAX,
};

#define UCP_COUNTER_A_MAX (__UCP_COUNTER_A_MAX - 1)

enum ucp_usage_attr {
	UCP_USAGE_A_UNSPEC,
	UCP_USAGE_A_APP,		/* u32: enum ucp_app */
	UCP_USAGE_A_LIMIT,		/* u32: effective limit; absent: none */
	UCP_USAGE_A_IN_USE,		/* u32 */
	UCP_USAGE_A_PEAK,		/* u32 */
	UCP_USAGE_A_REFUSED,		/* u32 */
	__UCP_USAGE_A_MAX,
};

#define UCP_USAGE_A_MAX (__UCP_USAGE_A_MAX - 1)

enum ucp_flow_attr {
	UCP_FLOW_A_UNSPEC,
	UCP_FLOW_A_FAMILY,		/* u8: AF_INET or AF_INET6 */
	UCP_FLOW_A_L4PROTO,		/* u8: IPPROTO_TCP or IPPROTO_UDP */
	UCP_FLOW_A_SADDR,		/* binary: 4 or 16 bytes */
	UCP_FLOW_A_DADDR,		/* binary: 4 or 16 bytes */
	UCP_FLOW_A_SPORT,		/* be16 */
	UCP_FLOW_A_DPORT,		/* be16 */
	UCP_FLOW_A_ZONE,		/* u16: conntrack zone */
	__UCP_FLOW_A_MAX,
};

#define UCP_FLOW_A_MAX (__UCP_FLOW_A_MAX - 1)

enum ucp_leg_attr {
	UCP_LEG_A_UNSPEC,
	UCP_LEG_A_PAD,
	UCP_LEG_A_SUITE,		/* u8: enum ucp_srtp_suite */
	UCP_LEG_A_FLOW,			/* nest ucp_flow_attr */
	UCP_LEG_A_PACKETS,		/* u64 */
	UCP_LEG_A_BYTES,		/* u64 */
	UCP_LEG_A_AUTH_FAILURES,	/* u64 */
	UCP_LEG_A_REPLAYS,		/* u64 */
	UCP_LEG_A_LAST_SEEN_MS,		/* u64: milliseconds ago */
	UCP_LEG_A_DIR,			/* u8: enum ucp_dir of the signalling */
	UCP_LEG_A_DROPPED,		/* u64: malformed, SSRC limit, no room */
	__UCP_LEG_A_MAX,
};

#define UCP_LEG_A_MAX (__UCP_LEG_A_MAX - 1)

/*
 * Counters of UCP_CMD_STATS_GET. Ids are stable; the kernel also sends each
 * counter's name so that an older ucpctl shows newer counters.
 */
enum ucp_counter {
	UCP_CTR_NL_REQUESTS,		/* do requests accepted */
	UCP_CTR_NL_DUMPS,		/* dump requests accepted */
	UCP_CTR_NL_DENIED,		/* requests refused: no CAP_NET_ADMIN */
	UCP_CTR_SIP_MESSAGES,		/* SIP messages parsed */
	UCP_CTR_SIP_REWRITTEN,		/* messages whose addresses NAT changed */
	UCP_CTR_SIP_REASSEMBLED,	/* messages joined across TCP segments */
	UCP_CTR_SIP_EXPECTATIONS,	/* media expectations created */
	UCP_CTR_SIP_EXPECT_FAILED,	/* media streams that could not be expected */
	UCP_CTR_SIP_EXPECT_RELEASED,	/* expectations removed by BYE, CANCEL, failure */
	UCP_CTR_SIP_MALFORMED_PASSED,	/* malformed, passed by the pass policy */
	UCP_CTR_SIP_DROPPED,		/* packets dropped by the SIP helper */
	/* Malformed or refused messages, by reason (enum ucp_sip_reason order) */
	UCP_CTR_SIP_BAD_TOO_LARGE,
	UCP_CTR_SIP_BAD_START_LINE,
	UCP_CTR_SIP_BAD_HEADER,
	UCP_CTR_SIP_BAD_CONTENT_LENGTH,
	UCP_CTR_SIP_BAD_URI,
	UCP_CTR_SIP_BAD_ADDRESS,
	UCP_CTR_SIP_BAD_TOO_MANY,
	UCP_CTR_SIP_BAD_SDP,
	UCP_CTR_SIP_BAD_CRYPTO,
	UCP_CTR_SIP_BAD_NOSPACE,
	UCP_CTR_SIP_OUT_OF_ORDER,	/* TCP segment not joinable to held bytes */
	UCP_CTR_SIP_REASSEMBLY_FULL,		/* reassembly memory budget exhausted */
	UCP_CTR_SIP_NOMEM,		/* packet could not be grown or memory allocated */
	UCP_CTR_SIP_REASSEMBLY_ABANDONED, /* split message passed unchanged */
	UCP_CTR_MEDIA_SESSIONS,		/* media sessions set up */
	UCP_CTR_MEDIA_REFUSED,		/* translation refused by the SRTP limit */
	UCP_CTR_MEDIA_KEY_FAILED,	/* keys the SRTP core would not take */
	UCP_CTR_MEDIA_PROTECTED,	/* RTP/RTCP packets made SRTP/SRTCP */
	UCP_CTR_MEDIA_UNPROTECTED,	/* SRTP/SRTCP packets made RTP/RTCP */
	UCP_CTR_MEDIA_PASSED,		/* packets of passthrough sessions */
	UCP_CTR_MEDIA_AUTH_FAILED,	/* dropped: authentication tag wrong */
	UCP_CTR_MEDIA_REPLAYED,		/* dropped: replayed or too old */
	UCP_CTR_MEDIA_MALFORMED,	/* dropped: not RTP/RTCP, bad header */
	UCP_CTR_MEDIA_DROPPED,		/* dropped: SSRC limit, no room, ended */
	UCP_CTR_SCCP_MESSAGES,	/* SCCP messages parsed by ucp-sccp or the inspect command */
	UCP_CTR_SCCP_UNKNOWN,	/* messages of ids the core does not act on, passed untouched */
	UCP_CTR_SCCP_REWRITTEN,	/* messages whose embedded addresses or ports NAT changed */
	UCP_CTR_SCCP_REASSEMBLED, /* messages joined across TCP segments */
	UCP_CTR_SCCP_SPLIT_UNREWRITTEN, /* split: a field to change was already sent */
	UCP_CTR_SCCP_EXPECTATIONS, /* media expectations created, RTP and RTCP each */
	UCP_CTR_SCCP_EXPECT_FAILED, /* media streams that could not be expected */
	UCP_CTR_SCCP_EXPECT_RELEASED, /* removed by Stop/CloseReceiveChannel */
	UCP_CTR_SCCP_KEYS,	/* media streams expected with a MediaEncryptionKeyInfo key */
	UCP_CTR_SCCP_MALFORMED_PASSED, /* malformed, passed by the pass policy */
	UCP_CTR_SCCP_DROPPED,	/* packets dropped by the SCCP helper */
	UCP_CTR_SCCP_BAD_TOO_LARGE, /* message length over the size limit */
	UCP_CTR_SCCP_BAD_LENGTH,	/* message length too small for a message id */
	UCP_CTR_SCCP_BAD_TRUNCATED, /* known message shorter than its fields */
	UCP_CTR_SCCP_BAD_ADDRESS, /* address type neither IPv4 nor IPv6, or port over 65535 */
	UCP_CTR_SCCP_BAD_KEY,	/* key or salt length over 16 */
	UCP_CTR_SCCP_BAD_FAMILY,	/* IPv6 address for a plain IPv4 field */
	UCP_CTR_SCCP_OUT_OF_ORDER, /* TCP segment not continuing a held partial message */
	UCP_CTR_SCCP_REASSEMBLY_FULL, /* reassembly memory budget exhausted */
	UCP_CTR_SCCP_NOMEM,	/* packet could not be written or memory allocated */
	__UCP_CTR_MAX,
};

#define UCP_CTR_MAX (__UCP_CTR_MAX - 1)

#endif /* _UAPI_LINUX_UCPROXY_H */
