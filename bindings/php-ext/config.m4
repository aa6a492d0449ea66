dnl config.m4 for the contact_batch extension.
dnl
dnl Links the static libcontactbatch.a, so the installed contact_batch.so has
dnl no runtime dependency on the shared library. Build the static library
dnl first (cargo build --release -p contact-batch-ffi), then:
dnl   phpize && ./configure --with-contact-batch=/path/to/contact-batch && make
dnl The path is the repository root (include/ and target/release/ under it).

PHP_ARG_WITH([contact-batch],
  [for contact-batch support],
  [AS_HELP_STRING([--with-contact-batch=DIR],
    [Enable contact-batch; DIR is the contact-batch repository root])])

if test "$PHP_CONTACT_BATCH" != "no"; then
  if test "$PHP_CONTACT_BATCH" = "yes"; then
    PHP_CONTACT_BATCH=`cd ../.. && pwd`
  fi
  CB_INCLUDE="$PHP_CONTACT_BATCH/include"
  CB_STATIC="$PHP_CONTACT_BATCH/target/release/libcontactbatch.a"
  AC_MSG_CHECKING([for contact_batch.h])
  if test -f "$CB_INCLUDE/contact_batch.h"; then
    AC_MSG_RESULT([$CB_INCLUDE])
  else
    AC_MSG_ERROR([contact_batch.h not found under $CB_INCLUDE])
  fi
  AC_MSG_CHECKING([for libcontactbatch.a])
  if test -f "$CB_STATIC"; then
    AC_MSG_RESULT([$CB_STATIC])
  else
    AC_MSG_ERROR([$CB_STATIC not found: run cargo build --release -p contact-batch-ffi first])
  fi
  PHP_ADD_INCLUDE([$CB_INCLUDE])
  CONTACT_BATCH_SHARED_LIBADD="$CB_STATIC -lpthread -ldl -lm"
  PHP_SUBST([CONTACT_BATCH_SHARED_LIBADD])
  PHP_NEW_EXTENSION([contact_batch], [contact_batch.c], [$ext_shared])
fi
