dnl config.m4 for the contact_batch extension.
dnl
dnl Links libcontactbatch's static archive, so the installed contact_batch.so
dnl has no run-time dependency on the C library. Where the library is:
dnl   --with-contact-batch=PREFIX   an installed C library (PREFIX/include/contact_batch.h,
dnl                                 PREFIX/lib/libcontactbatch.a: crates/contact-batch-ffi/install.sh)
dnl   --with-contact-batch=CHECKOUT a contact-batch checkout after
dnl                                 cargo build --release -p contact-batch-ffi
dnl   --with-contact-batch          pkg-config's contactbatch, else the checkout two
dnl                                 folders up (bindings/php-ext in the repository)

PHP_ARG_WITH([contact-batch],
  [for contact-batch support],
  [AS_HELP_STRING([--with-contact-batch@<:@=DIR@:>@],
    [Enable contact-batch; DIR is where libcontactbatch is installed (its prefix) or a built checkout])])

if test "$PHP_CONTACT_BATCH" != "no"; then
  CB_INCLUDE=""
  CB_STATIC=""
  dnl pecl passes its prompt's default, autodetect, when the user accepts it.
  if test "$PHP_CONTACT_BATCH" = "autodetect"; then
    PHP_CONTACT_BATCH=yes
  fi
  if test "$PHP_CONTACT_BATCH" = "yes"; then
    AC_PATH_PROG(PKG_CONFIG, pkg-config, no)
    if test "$PKG_CONFIG" != "no" && $PKG_CONFIG --exists contactbatch; then
      CB_INCLUDE=`$PKG_CONFIG --variable=includedir contactbatch`
      CB_STATIC="`$PKG_CONFIG --variable=libdir contactbatch`/libcontactbatch.a"
      AC_MSG_NOTICE([contactbatch found by pkg-config: `$PKG_CONFIG --modversion contactbatch`])
    else
      PHP_CONTACT_BATCH=`cd ../.. && pwd`
    fi
  fi
  if test -z "$CB_STATIC"; then
    for cb_lib in "$PHP_CONTACT_BATCH/lib" "$PHP_CONTACT_BATCH/lib64" "$PHP_CONTACT_BATCH/target/release"; do
      if test -f "$cb_lib/libcontactbatch.a"; then
        CB_STATIC="$cb_lib/libcontactbatch.a"
        break
      fi
    done
    CB_INCLUDE="$PHP_CONTACT_BATCH/include"
  fi
  AC_MSG_CHECKING([for contact_batch.h])
  if test -f "$CB_INCLUDE/contact_batch.h"; then
    AC_MSG_RESULT([$CB_INCLUDE])
  else
    AC_MSG_ERROR([contact_batch.h not found under $CB_INCLUDE: install the C library (crates/contact-batch-ffi/install.sh) and pass --with-contact-batch=PREFIX])
  fi
  AC_MSG_CHECKING([for libcontactbatch.a])
  if test -n "$CB_STATIC" && test -f "$CB_STATIC"; then
    AC_MSG_RESULT([$CB_STATIC])
  else
    AC_MSG_ERROR([libcontactbatch.a not found under $PHP_CONTACT_BATCH (lib/, lib64/ or target/release/): install the C library or run cargo build --release -p contact-batch-ffi])
  fi
  PHP_ADD_INCLUDE([$CB_INCLUDE])
  CONTACT_BATCH_SHARED_LIBADD="$CB_STATIC -lpthread -ldl -lm"
  PHP_SUBST([CONTACT_BATCH_SHARED_LIBADD])
  PHP_ADD_EXTENSION_DEP(contact_batch, json)
  PHP_ADD_EXTENSION_DEP(contact_batch, spl)
  PHP_NEW_EXTENSION([contact_batch], [contact_batch.c], [$ext_shared])
fi
