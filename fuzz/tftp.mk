# SPDX-License-Identifier: GPL-2.0
# The TFTP packet parser and builders of the agent (libc only); seeds:
# fuzz/corpus/tftp, requests of tftp-hpa, atftp and curl, OACK, DATA, ACK
# and ERROR packets written by hand.
SRCS_tftp := user/ucproxyd/tftp_pkt.c
