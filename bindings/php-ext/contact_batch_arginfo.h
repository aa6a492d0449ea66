/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: a88e7fc32451b436a99663e0d26321544cb86a28 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_ContactBatch_normalize_phone, 0, 1, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO(0, raw, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, region, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_ContactBatch_normalize_phone_result, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, raw, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, region, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_ContactBatch_validate_email, 0, 1, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO(0, email, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_ContactBatch_validate_email_result, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, email, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_ContactBatch_Engine___construct, 0, 0, 1)
	ZEND_ARG_TYPE_INFO(0, config, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_ContactBatch_Engine_shared, 0, 1, ContactBatch\\Engine, 0)
	ZEND_ARG_TYPE_INFO(0, config, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Engine_sharedStats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Engine_warm, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_MASK(0, regions, MAY_BE_ARRAY|MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Engine_phoneMetadataVersion, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Engine_respond, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, body, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_MASK(0, existing, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Engine_respondJson, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, body, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_MASK(0, existingJson, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_ContactBatch_Engine_prepare, 0, 1, ContactBatch\\Prepared, 0)
	ZEND_ARG_TYPE_MASK(0, body, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
ZEND_END_ARG_INFO()

#define arginfo_class_ContactBatch_Engine_normalizePhone arginfo_ContactBatch_normalize_phone

#define arginfo_class_ContactBatch_Engine_normalizePhoneResult arginfo_ContactBatch_normalize_phone_result

#define arginfo_class_ContactBatch_Engine_validateEmail arginfo_ContactBatch_validate_email

#define arginfo_class_ContactBatch_Engine_validateEmailResult arginfo_ContactBatch_validate_email_result

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_ContactBatch_Prepared___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_ContactBatch_Prepared_keys arginfo_class_ContactBatch_Engine_sharedStats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_ContactBatch_Prepared_resolve, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, existing, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

#define arginfo_class_ContactBatch_Prepared_outcome arginfo_class_ContactBatch_Prepared_resolve


ZEND_FUNCTION(ContactBatch_normalize_phone);
ZEND_FUNCTION(ContactBatch_normalize_phone_result);
ZEND_FUNCTION(ContactBatch_validate_email);
ZEND_FUNCTION(ContactBatch_validate_email_result);
ZEND_METHOD(ContactBatch_Engine, __construct);
ZEND_METHOD(ContactBatch_Engine, shared);
ZEND_METHOD(ContactBatch_Engine, sharedStats);
ZEND_METHOD(ContactBatch_Engine, warm);
ZEND_METHOD(ContactBatch_Engine, phoneMetadataVersion);
ZEND_METHOD(ContactBatch_Engine, respond);
ZEND_METHOD(ContactBatch_Engine, respondJson);
ZEND_METHOD(ContactBatch_Engine, prepare);
ZEND_METHOD(ContactBatch_Engine, normalizePhone);
ZEND_METHOD(ContactBatch_Engine, normalizePhoneResult);
ZEND_METHOD(ContactBatch_Engine, validateEmail);
ZEND_METHOD(ContactBatch_Engine, validateEmailResult);
ZEND_METHOD(ContactBatch_Prepared, __construct);
ZEND_METHOD(ContactBatch_Prepared, keys);
ZEND_METHOD(ContactBatch_Prepared, resolve);
ZEND_METHOD(ContactBatch_Prepared, outcome);


static const zend_function_entry ext_functions[] = {
	ZEND_NS_FALIAS("ContactBatch", normalize_phone, ContactBatch_normalize_phone, arginfo_ContactBatch_normalize_phone)
	ZEND_NS_FALIAS("ContactBatch", normalize_phone_result, ContactBatch_normalize_phone_result, arginfo_ContactBatch_normalize_phone_result)
	ZEND_NS_FALIAS("ContactBatch", validate_email, ContactBatch_validate_email, arginfo_ContactBatch_validate_email)
	ZEND_NS_FALIAS("ContactBatch", validate_email_result, ContactBatch_validate_email_result, arginfo_ContactBatch_validate_email_result)
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_ConfigException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_ExistingException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_InputException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_InternalException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_Engine_methods[] = {
	ZEND_ME(ContactBatch_Engine, __construct, arginfo_class_ContactBatch_Engine___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, shared, arginfo_class_ContactBatch_Engine_shared, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(ContactBatch_Engine, sharedStats, arginfo_class_ContactBatch_Engine_sharedStats, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(ContactBatch_Engine, warm, arginfo_class_ContactBatch_Engine_warm, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, phoneMetadataVersion, arginfo_class_ContactBatch_Engine_phoneMetadataVersion, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, respond, arginfo_class_ContactBatch_Engine_respond, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, respondJson, arginfo_class_ContactBatch_Engine_respondJson, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, prepare, arginfo_class_ContactBatch_Engine_prepare, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, normalizePhone, arginfo_class_ContactBatch_Engine_normalizePhone, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, normalizePhoneResult, arginfo_class_ContactBatch_Engine_normalizePhoneResult, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, validateEmail, arginfo_class_ContactBatch_Engine_validateEmail, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Engine, validateEmailResult, arginfo_class_ContactBatch_Engine_validateEmailResult, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_ContactBatch_Prepared_methods[] = {
	ZEND_ME(ContactBatch_Prepared, __construct, arginfo_class_ContactBatch_Prepared___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(ContactBatch_Prepared, keys, arginfo_class_ContactBatch_Prepared_keys, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Prepared, resolve, arginfo_class_ContactBatch_Prepared_resolve, ZEND_ACC_PUBLIC)
	ZEND_ME(ContactBatch_Prepared, outcome, arginfo_class_ContactBatch_Prepared_outcome, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_ContactBatch_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Exception", class_ContactBatch_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_ConfigException(zend_class_entry *class_entry_ContactBatch_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "ConfigException", class_ContactBatch_ConfigException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ContactBatch_Exception);

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_ExistingException(zend_class_entry *class_entry_ContactBatch_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "ExistingException", class_ContactBatch_ExistingException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ContactBatch_Exception);

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_InputException(zend_class_entry *class_entry_ContactBatch_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "InputException", class_ContactBatch_InputException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ContactBatch_Exception);

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_InternalException(zend_class_entry *class_entry_ContactBatch_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "InternalException", class_ContactBatch_InternalException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ContactBatch_Exception);

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_Engine(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Engine", class_ContactBatch_Engine_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
#if (PHP_VERSION_ID >= 80100)
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;
#elif (PHP_VERSION_ID >= 80000)
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES;
#endif

	return class_entry;
}

static zend_class_entry *register_class_ContactBatch_Prepared(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Prepared", class_ContactBatch_Prepared_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
#if (PHP_VERSION_ID >= 80100)
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;
#elif (PHP_VERSION_ID >= 80000)
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES;
#endif

	return class_entry;
}
