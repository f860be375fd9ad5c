/work/main/user/ucpctl/ucpctl.o: /work/main/user/ucpctl/ucpctl.c \
  /work/main/user/lib/ucp.h /work/main/include/uapi/linux/ucproxy.h

/work/main/user/lib/ucp.h:

/work/main/include/uapi/linux/ucproxy.h:
