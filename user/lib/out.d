/work/main/user/lib/out.o: /work/main/user/lib/out.c \
  /work/main/user/lib/ucp.h /work/main/include/uapi/linux/ucproxy.h

/work/main/user/lib/ucp.h:

/work/main/include/uapi/linux/ucproxy.h:
