/work/main/user/lib/attr.o: /work/main/user/lib/attr.c \
  /work/main/user/lib/ucp_int.h /work/main/user/lib/ucp.h \
  /work/main/include/uapi/linux/ucproxy.h

/work/main/user/lib/ucp_int.h:

/work/main/user/lib/ucp.h:

/work/main/include/uapi/linux/ucproxy.h:
