/work/main/user/lib/nl.o: /work/main/user/lib/nl.c \
  /work/main/user/lib/ucp_int.h /work/main/user/lib/ucp.h \
  /work/main/include/uapi/linux/ucproxy.h

/work/main/user/lib/ucp_int.h:

/work/main/user/lib/ucp.h:

/work/main/include/uapi/linux/ucproxy.h:
