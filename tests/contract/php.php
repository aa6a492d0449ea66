<?php
// The PHP surfaces of SPEC §5.3 as an application uses them:
//   php php.php ext                 the extension (ContactBatch\Engine, loaded with -d extension=...)
//   php php.php ffi LIBRARY         the composer class ContactBatch\Ffi\Engine over FFI,
//                                   loaded through a PSR-4 autoloader from bindings/php-ffi/src
// Prints "ok" and exits 0, or lists every broken promise and exits 1.
// scripts/contract.sh runs both.
declare(strict_types=1);

$mode = $argv[1] ?? '';
$failures = [];
function check(bool $ok, string $what): void
{
    global $failures;
    if (!$ok) {
        $failures[] = $what;
    }
}

$config = ['profile' => 'rasl-create', 'default_region' => 'US'];
if ($mode === 'ext') {
    check(extension_loaded('contact_batch'), 'the extension is loaded');
    $engine = new ContactBatch\Engine($config);
    $shared = ContactBatch\Engine::shared($config);
    check($shared instanceof ContactBatch\Engine, 'Engine::shared gives an Engine');
    // One engine per config, kept: the second call reuses it (sharedStats
    // counts builds and reuses; the PHP objects may differ).
    $before = ContactBatch\Engine::sharedStats();
    ContactBatch\Engine::shared($config);
    $after = ContactBatch\Engine::sharedStats();
    check($after['builds'] === $before['builds'] && $after['reuses'] === $before['reuses'] + 1,
        'Engine::shared keeps one engine per config');
    check(ContactBatch\normalize_phone('020 7183 8750', 'GB')['e164'] === '+442071838750',
        'ContactBatch\normalize_phone gives E.164');
    check(ContactBatch\normalize_phone('12') === null, 'ContactBatch\normalize_phone: null when invalid');
    check(ContactBatch\validate_email('Ann@Example.com')['normalized'] === 'Ann@example.com',
        'ContactBatch\validate_email normalizes');
    check(ContactBatch\validate_email("\"\r\"@example.com") === null,
        'ContactBatch\validate_email: a CR inside the address is invalid');
    check(ContactBatch\validate_email_result("\"test\r\n blah\"@iana.org")['error'] === 'control_character',
        'ContactBatch\validate_email_result names control_character');
    check(ContactBatch\normalize_phone_result('12')['valid'] === false,
        'ContactBatch\normalize_phone_result says why');
    $error = ContactBatch\Exception::class;
} elseif ($mode === 'ffi') {
    $src = dirname(__DIR__, 2) . '/bindings/php-ffi/src/';
    spl_autoload_register(function (string $class) use ($src): void {
        $prefix = 'ContactBatch\\Ffi\\';
        if (str_starts_with($class, $prefix)) {
            require $src . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        }
    });
    $library = $argv[2] ?? null;
    $engine = new ContactBatch\Ffi\Engine($config, $library);
    check(new ContactBatch\Ffi\Engine(json_encode($config), $library) instanceof ContactBatch\Ffi\Engine,
        'the config may be a JSON string');
    $error = ContactBatch\Ffi\Exception::class;
} else {
    fwrite(STDERR, "usage: php php.php ext | ffi LIBRARY\n");
    exit(2);
}

// respond(string|array, ?array): ['status' => int, 'body' => array]
$body = ['contacts' => [
    ['firstname' => 'Ann', 'phone' => '(415) 555-2671'],
    ['firstname' => 'Bob', 'phone' => '+442071838750'],
]];
$r = $engine->respond($body, ['phones' => ['+14155552671' => 'ct_1']]);
check(array_keys($r) === ['status', 'body'], "respond returns ['status', 'body']");
check($r['status'] === 200 && is_array($r['body']), 'respond: status 200, body an array');
$again = $engine->respond(json_encode($body), ['phones' => ['+14155552671' => 'ct_1']]);
check($again === $r, 'respond takes the body as a string or an array alike');
$bad = $engine->respond('not json');
check($bad['status'] === 422, 'a malformed body is a 422 response, not an exception');

// The phone metadata release in use (SPEC 5.7).
check(preg_match('/^\d+\.\d+\.\d+$/', $engine->phoneMetadataVersion()) === 1,
    'phoneMetadataVersion names a libphonenumber release');

// A newer metadata file in the config (SPEC 5.7): the generator's file for
// libphonenumber 9.0.42 (one release before the built-in one).
$file = dirname(__DIR__, 2) . '/crates/contact-batch/tests/data/phone-9.0.42.cbpm';
$withFile = ['profile' => 'rasl-create', 'phone_metadata' => $file];
$old = $mode === 'ext'
    ? new ContactBatch\Engine($withFile)
    : new ContactBatch\Ffi\Engine($withFile, $library);
check($old->phoneMetadataVersion() === '9.0.42', "the config's phone_metadata file gives its release");
check($old->normalizePhone('+995508887752') === null && $engine->normalizePhone('+995508887752') !== null,
    "the config's phone_metadata file decides the verdicts");
try {
    $mode === 'ext'
        ? new ContactBatch\Engine(['profile' => 'rasl-create', 'phone_metadata' => __FILE__])
        : new ContactBatch\Ffi\Engine(['profile' => 'rasl-create', 'phone_metadata' => __FILE__], $library);
    check(false, 'a bad phone_metadata file throws');
} catch (Throwable $e) {
    check(str_contains($e->getMessage(), 'phone metadata file is refused'), 'a bad phone_metadata file throws with a clear message');
}

// normalizePhone / validateEmail: ?array; the *Result forms say why.
check($engine->normalizePhone('(415) 555-2671')['e164'] === '+14155552671', 'normalizePhone gives E.164');
check($engine->normalizePhone('12') === null, 'normalizePhone: null when invalid');
$why = $engine->normalizePhoneResult('12');
check($why['valid'] === false && is_string($why['error']) && $why['error'] !== '', 'normalizePhoneResult gives the reason');
check($engine->validateEmail(' Ann@Example.COM ')['normalized'] === 'Ann@example.com', 'validateEmail normalizes');
check($engine->validateEmail('a@localhost') === null, 'validateEmail: null when invalid');
check($engine->validateEmailResult('a@localhost')['error'] === 'domain_without_dot', 'validateEmailResult gives the reason');
// Issue 28: a control character inside an address is invalid.
check($engine->validateEmail("\"\r\"@example.com") === null, 'validateEmail: a CR inside quotes is invalid');
check($engine->validateEmailResult("\"test\r\n blah\"@iana.org")['error'] === 'control_character',
    'validateEmailResult: a CRLF inside quotes is control_character');

// Errors from the library are exceptions with its message.
try {
    $mode === 'ext'
        ? new ContactBatch\Engine(['profile' => 'no-such-profile'])
        : new ContactBatch\Ffi\Engine(['profile' => 'no-such-profile'], $library);
    check(false, 'an unknown profile throws');
} catch (Throwable $e) {
    check($e instanceof $error && str_contains($e->getMessage(), 'no-such-profile'),
        "an unknown profile throws $error naming it (got " . get_class($e) . ': ' . $e->getMessage() . ')');
}

if ($failures) {
    foreach ($failures as $f) {
        fwrite(STDERR, "contract: PHP $mode: $f\n");
    }
    exit(1);
}
echo "ok\n";
