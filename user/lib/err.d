/work/main/user/lib/err.o: /work/main/user/lib/err.c \
  /work/main/user/lib/ucp_int.h /work/main/user/lib/ucp.h \
  /work/main/include/uapi/linux/ucproxy.h

/work/main/user/lib/ucp_int.h:

/work/main/user/lib/ucp.h:

/work/main/include/uapi/linux/ucproxy.h:
