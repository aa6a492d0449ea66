<?php
/**
 * Checks the FFI package (bindings/php-ffi, ContactBatch\Ffi) against libcontactbatch: every profile, the
 * two-phase protocol, single values and error paths. Plain PHP CLI, no
 * framework:
 *
 *     php -d ffi.enable=1 examples/php/test.php target/release/libcontactbatch.so
 *
 * Prints one line per failed check and "N passed, M failed"; exits 1 on any
 * failure.
 */

declare(strict_types=1);

// What composer's PSR-4 autoloader does for the package.
spl_autoload_register(function (string $class): void {
    $prefix = 'ContactBatch\\Ffi\\';
    if (str_starts_with($class, $prefix)) {
        require __DIR__ . '/../../bindings/php-ffi/src/' . substr($class, strlen($prefix)) . '.php';
    }
});

use ContactBatch\Ffi\Engine;
use ContactBatch\Ffi\Exception as CbException;

$library = $argv[1] ?? __DIR__ . '/../../target/release/libcontactbatch.so';
if (!extension_loaded('ffi')) {
    fwrite(STDERR, "the FFI extension is not loaded\n");
    exit(2);
}

$passed = 0;
$failed = 0;

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        $line = debug_backtrace()[0]['line'];
        fwrite(STDERR, "FAIL (line $line): $what\n");
    }
}

function same($actual, $expected, string $what): void
{
    check($actual === $expected, $what . ': expected ' . json_encode($expected) . ', got ' . json_encode($actual));
}

/** Runs $f, which must throw CbException; returns it. */
function throws(callable $f, string $what): ?CbException
{
    try {
        $f();
    } catch (CbException $e) {
        check(true, $what);
        return $e;
    }
    check(false, "$what: no exception");
    return null;
}

function engine(array $config): Engine
{
    global $library;
    return new Engine($config, $library);
}

// ---- rasl-create --------------------------------------------------------

$create = engine(['profile' => 'rasl-create', 'default_region' => 'US', 'threads' => 2]);
same($create->version(), '0.1.0', 'version');
foreach ([
    'OK', 'NULL_ARGUMENT', 'INVALID_UTF8', 'INVALID_CONFIG', 'INVALID_EXISTING', 'PANIC',
    'ENGINE_MISMATCH', 'INVALID_LENGTH',
] as $name) {
    same(constant(Engine::class . "::$name"), $create->ffi->{"CBATCH_$name"}, "constant $name matches the header");
}

$request = json_encode(['contacts' => [
    ['firstname' => 'Ann', 'lastname' => 'Lee', 'phone' => '(415) 555-2671', 'email' => 'Ann@Example.COM'],
    ['firstname' => 'Bob', 'phone' => '+1 415 555 2672', 'groups' => [3, 3, 4]],
    ['firstname' => 'Bob again', 'phone' => '415.555.2672'],
    ['firstname' => '', 'phone' => '12'],
    ['firstname' => 'Cy', 'phone' => '+1 415 555 2673'],
], 'options' => ['skip_duplicates' => true]]);

$r = $create->respond($request);
same($r['status'], 200, 'create status');
same($r['body']['success'], true, 'create success');
same($r['body']['summary'], ['total' => 5, 'created' => 3, 'skipped' => 1, 'failed' => 1], 'create summary');
same($r['body']['created'][0]['phone'], '+14155552671', 'phone normalized to E.164');
same($r['body']['created'][0]['email'], 'Ann@example.com', 'email domain lowercased');
same($r['body']['created'][1]['groups'], [3, 4], 'repeated group ids removed');
same($r['body']['skipped'][0], ['index' => 2, 'reason' => 'duplicate_in_request',
    'data' => ['firstname' => 'Bob again', 'phone' => '415.555.2672']], 'duplicate in request skipped');
same($r['body']['errors'][0]['index'], 3, 'invalid row reported');
check(isset($r['body']['errors'][0]['errors']['firstname'], $r['body']['errors'][0]['errors']['phone']),
    'errors on firstname and phone');

$existing = ['phones' => ['+14155552673' => 'ct_9']];
$r = $create->respond($request, $existing);
same($r['body']['summary'], ['total' => 5, 'created' => 2, 'skipped' => 2, 'failed' => 1], 'create with existing');
same($r['body']['skipped'][1]['reason'], 'duplicate_phone', 'existing phone skipped');
same($create->respond($request, [])['body']['summary']['created'], 3, 'empty existing array is none');
same($create->respond($request, ['phones' => []])['body']['summary']['created'], 3, 'empty phones map');
// Regression (the extension threw "expected a map" here): the same answer as no existing keys.
same($create->respond($request, ['phones' => []]), $create->respond($request), 'empty phones map is none');
same($create->prepare($request)->resolve(['phones' => [], 'ids' => []]), $create->respond($request), 'empty phones map, two phases');
// The existing store as JSON text (the --existing file's bytes) is the same
// store as its array; respondJson() is respond() as JSON text.
$existingJson = '{"phones": {"+14155552673": "ct_9"}}';
same($create->respond($request, $existingJson), $create->respond($request, $existing), 'existing as JSON text');
same($create->prepare($request)->resolve($existingJson), $create->respond($request, $existing), 'resolve with JSON text');
same($create->prepare($request)->outcome($existingJson)['summary'], $create->prepare($request)->outcome($existing)['summary'], 'outcome with JSON text');
same(json_decode($create->respondJson($request, $existingJson), true), $create->respond($request, $existing), 'respondJson');
same(json_decode($create->respondJson($request, $existing), true), $create->respond($request, $existing), 'respondJson with an array');
$e = throws(fn() => $create->respond($request, '{"phones": {"0123": "x"}}'), 'malformed existing JSON text throws');
check($e instanceof ContactBatch\Ffi\ExistingException && str_contains($e->getMessage(), 'E.164'), 'existing JSON text: ExistingException with the reason: ' . $e?->getMessage());

// skip_duplicates false: duplicates are errors on phone.
$strict = json_encode(['contacts' => [
    ['firstname' => 'Ann', 'phone' => '+14155552671'],
    ['firstname' => 'Ann', 'phone' => '+14155552671'],
]]);
$r = $create->respond($strict);
same($r['body']['summary'], ['total' => 2, 'created' => 1, 'skipped' => 0, 'failed' => 1], 'duplicates are errors');
same(array_keys($r['body']['errors'][0]['errors']), ['phone'], 'duplicate error on phone');

// continue_on_error false: nothing created, 422.
$r = $create->respond(json_encode(['contacts' => [
    ['firstname' => 'Ann', 'phone' => '+14155552671'],
    ['firstname' => 'Bad', 'phone' => 'nope'],
], 'options' => ['continue_on_error' => false]]));
same($r['status'], 422, 'continue_on_error false status');
same($r['body']['success'], false, 'continue_on_error false success');

// Request-level problems: 422 VALIDATION_ERROR, not exceptions.
foreach ([
    'truncated JSON' => '{"contacts": [{"firstname": "Ann", ',
    'invalid UTF-8' => "{\"contacts\": [{\"firstname\": \"\xff\"}]}",
    'empty body' => '',
    'not an object' => '[]',
    'contacts missing' => '{}',
    'contacts empty' => '{"contacts": []}',
    'contacts not an array' => '{"contacts": 1}',
    'element not an object' => '{"contacts": [1]}',
    'options wrong type' => '{"contacts": [{"firstname": "A", "phone": "+14155552671"}], "options": 1}',
] as $what => $body) {
    $r = $create->respond($body);
    same($r['status'], 422, "$what status");
    same($r['body']['error']['code'] ?? null, 'VALIDATION_ERROR', "$what code");
}
$tooMany = json_encode(['contacts' => array_fill(0, 1001, ['firstname' => 'A', 'phone' => '+14155552671'])]);
same($create->respond($tooMany)['status'], 422, 'over 1000 contacts');

// Plan quota: 403 FEATURE_LIMIT_EXCEEDED.
$quota = engine(['profile' => 'rasl-create', 'plan_quota' => 1, 'threads' => 1]);
$r = $quota->respond(json_encode(['contacts' => [
    ['firstname' => 'A', 'phone' => '+14155552671'],
    ['firstname' => 'B', 'phone' => '+14155552672'],
]]));
same($r['status'], 403, 'quota status');
same($r['body']['error']['code'], 'FEATURE_LIMIT_EXCEEDED', 'quota code');

// Two-phase.
$p = $create->prepare($request);
$keys = $p->keys();
same($keys['phones'], ['+14155552671', '+14155552672', '+14155552673'], 'keys: phones');
same($keys['rejected'], false, 'keys: not rejected');
same($p->resolve($existing), $create->respond($request, $existing), 'resolve equals respond');
same($p->resolve(), $create->respond($request), 'resolve again, nothing existing');
$o = $p->outcome($existing);
same($o['summary'], ['total' => 5, 'new' => 2, 'existing' => 1, 'duplicate' => 1, 'invalid' => 1], 'outcome summary');
same($o['rows'][0]['action'], 'create', 'outcome action');
same($o['rows'][0]['contact']['phones'][0]['e164'] ?? null, '+14155552671', 'outcome contact');
$bad = $create->prepare('{"contacts": ');
same($bad->keys()['rejected'], true, 'rejected request keys');
same($bad->resolve()['status'], 422, 'rejected request resolves to 422');
// (A prepared object holds its owner, so CBATCH_ENGINE_MISMATCH cannot
// happen through this class; the C and Rust tests cover it.)
unset($p, $bad);

// ---- rasl-delete --------------------------------------------------------

$delete = engine(['profile' => 'rasl-delete']);
$r = $delete->respond('{"ids":[1,2,1,3]}', ['ids' => [1, 2]]);
same($r, ['status' => 200, 'body' => ['success' => true,
    'summary' => ['total' => 4, 'deleted' => 2, 'failed' => 2]]], 'delete');
same($delete->prepare('{"ids":[1,2,1,3]}')->keys()['ids'], [1, 2, 3], 'delete keys');
$o = $delete->prepare('{"ids":[1,2,1,3]}')->outcome(['ids' => [1, 2]]);
same(array_column($o['rows'], 'action'), ['delete', 'delete', 'none', 'none'], 'delete actions');
foreach (['{}', '{"ids":[]}', '{"ids":"1"}', '{"ids":[0]}', '{"ids":[1.5]}'] as $body) {
    same($delete->respond($body)['status'], 422, "delete $body");
}

// ---- rasl-update --------------------------------------------------------

$update = engine(['profile' => 'rasl-update', 'default_region' => 'US']);
$stored = ['contact' => ['id' => 7, 'firstname' => 'Old', 'lastname' => 'Name', 'phone' => '+14155552671',
    'email' => 'old@example.com', 'type' => 'lead', 'groups' => [1]],
    'phones' => ['+14155552671' => 7, '+14155552672' => 8]];
$r = $update->respond('{"firstname":" New ","lastname":null,"groups":[2,2,3],"type":"customer"}', $stored);
same($r['status'], 200, 'update status');
same($r['body'], ['success' => true, 'message' => 'Contact updated successfully', 'data' => [
    'id' => 7, 'firstname' => 'New', 'lastname' => null, 'phone' => '+14155552671',
    'email' => 'old@example.com', 'type' => 'customer', 'groups' => [2, 3]]], 'update merge');
same($update->respond('{"phone":"(415) 555-2671"}', $stored)['status'], 200, 'own phone is no conflict');
$r = $update->respond('{"phone":"(415) 555-2672"}', $stored);
same($r['status'], 422, 'phone of another contact');
same($r['body']['error']['details']['phone'][0], 'The phone has already been taken.', 'update phone message');
$r = $update->respond('{"firstname":null,"phone":""}', $stored);
same($r['status'], 422, 'required fields cannot be cleared');
check(isset($r['body']['error']['details']['firstname'], $r['body']['error']['details']['phone']), 'update details');

// ---- record-list --------------------------------------------------------

$records = engine(['profile' => 'record-list']);
$seed = '{"records":[{"phone_numbers":[{"phone_number":"+351929312319","phone_type":"MOBILE"}],
  "first_name":"Joey","last_name":"Tribbiani","timezone":"Europe/Lisbon","priority":7},
  {"phone_numbers":[{"phone_number":"+351929312318","phone_type":"MOBILE"}],
  "first_name":"Jane","last_name":"Doe","timezone":"GMT","priority":5}]}';
$r = $records->respond($seed, ['record_list_id' => 'rl_1']);
same($r['status'], 201, 'record-list status');
same($r['body']['has_error'] ?? null, false, 'record-list has_error');
same($r['body']['total_created'] ?? null, 2, 'record-list created');
$r = $records->respond('{"records":[{"first_name":"A","last_name":"B"}]}');
same($r['status'], 201, 'record-list row error status');
same($r['body']['_embedded']['records'][0]['errors'] ?? null, ['PHONE_NUMBER_MISSING'], 'record-list row error');
$r = $records->respond('{"records":[]}');
same($r['status'], 400, 'record-list request error');
same($r['body']['code'] ?? null, 'INVALID_REQUEST', 'record-list request error code');
same($records->respond("\xff")['status'], 400, 'record-list invalid UTF-8');

// ---- contact-book -------------------------------------------------------

$book = engine(['profile' => 'contact-book']);
$r = $book->respond(
    '{"defaultCountryCode":"91","contacts":[{"phone":"7000782082"},{"phone":"7999999999"},{"phone":"+91 79999 99999"}]}',
    ['phones' => ['+917000782082' => 'ct_existing'],
     'contact_book' => ['contactBookUid' => 'grp_abc', 'name' => 'Retail Leads']]
);
same($r['status'], 200, 'contact-book status');
same($r['body']['data']['summary'] ?? null,
    ['total' => 3, 'created' => 1, 'updated' => 1, 'skipped' => 1, 'invalid' => 0], 'contact-book summary');
same(array_column($r['body']['data']['results'] ?? [], 'status'), ['UPDATED', 'CREATED', 'SKIPPED'], 'contact-book rows');
$r = $book->respond('{"contacts":"x"}');
same($r['status'], 400, 'contact-book request error');
same($r['body']['error']['code'] ?? null, 'VALIDATION_FAILED', 'contact-book request error code');

// ---- single values ------------------------------------------------------

same($create->normalizePhoneResult('(415) 555-2671'), ['valid' => true, 'e164' => '+14155552671', 'country_code' => 1,
    'region' => 'US', 'number_type' => 'fixed_line_or_mobile', 'extension' => null], 'normalizePhoneResult');
same($create->normalizePhone('(415) 555-2671'), ['e164' => '+14155552671', 'country_code' => 1,
    'region' => 'US', 'number_type' => 'fixed_line_or_mobile', 'extension' => null], 'normalizePhone');
same($create->normalizePhone('020 7183 8750', 'GB')['e164'], '+442071838750', 'normalizePhone with region');
same($create->normalizePhone('12'), null, 'invalid phone is null');
$v = $create->normalizePhoneResult('12');
same($v['valid'], false, 'invalid phone is data');
check(is_string($v['error']) && is_string($v['message']), 'invalid phone has error and message');
same($create->normalizePhoneResult('415 555 2671', 'ZZ')['error'], 'invalid_country_code', 'unknown region');
same($create->validateEmailResult(' Ann@Example.COM '),
    ['valid' => true, 'normalized' => 'Ann@example.com', 'key' => 'ann@example.com'], 'validateEmailResult');
same($create->validateEmail(' Ann@Example.COM '), ['normalized' => 'Ann@example.com', 'key' => 'ann@example.com'], 'validateEmail');
// Regression: validateEmail() returned an array for an invalid address, so `if` took it for valid.
check(!$create->validateEmail('not-an-email'), 'invalid email is falsy');
same($create->validateEmailResult('a@localhost')['error'], 'domain_without_dot', 'invalid email is data');
same($create->validateEmailResult("a\xff@b.com")['error'], 'invalid_utf8', 'invalid UTF-8 email is a reason');
same($create->validateEmail("a\xff@b.com"), null, 'invalid UTF-8 email is null');
same($create->normalizePhoneResult("\xff")['error'], 'invalid_utf8', 'invalid UTF-8 phone is a reason');

// Warm-up.
$create->warm(['GB', 'DE']);
$create->warm('FR, JP');
$e = throws(fn() => $create->warm(['XX']), 'unknown warm region throws');
check($e instanceof ContactBatch\Ffi\ConfigException, 'warm: ConfigException');
same($e ? $e->getCode() : null, Engine::INVALID_CONFIG, 'warm: code');

// Array bodies answer as their JSON text does.
same($create->respond(json_decode($request, true)), $create->respond($request), 'array body');
same($create->prepare(json_decode($request, true))->keys(), $create->prepare($request)->keys(), 'array body, two phases');

// ---- errors -------------------------------------------------------------

$e = throws(fn() => engine(['profile' => 'no-such-api']), 'unknown profile throws');
check($e !== null && str_contains($e->getMessage(), 'no-such-api'), 'unknown profile message: ' . ($e ? $e->getMessage() : ''));
same($e ? $e->getCode() : null, Engine::INVALID_CONFIG, 'bad config code');
$e = throws(fn() => engine(['profile' => 'rasl-create', 'default_region' => 'XX']), 'unknown region throws');
check($e !== null && str_contains($e->getMessage(), 'XX'), 'unknown region message');
$e = throws(fn() => new Engine("{\"profile\": \"rasl-\xff\"}", $library), 'invalid UTF-8 config throws');
check($e !== null && str_contains($e->getMessage(), 'UTF-8'), 'invalid UTF-8 config message');
$e = throws(fn() => engine(['profile' => "rasl-\xff"]), 'unencodable config array throws');
same($e ? $e->getCode() : null, Engine::INVALID_UTF8, 'unencodable config code');
$e = throws(fn() => new Engine('{"profile": "rasl-create"', $library), 'truncated config JSON throws');
$e = throws(fn() => engine(['profile' => 'rasl-create', 'bogus' => 1]), 'unknown config member throws');
check($e !== null && str_contains($e->getMessage(), 'bogus'), 'unknown member message');
$e = throws(fn() => engine([]), 'empty config throws');
$e = throws(fn() => $create->respond($request, ['phones' => ['4155552671' => 'x']]), 'bad existing throws');
check($e !== null && str_contains($e->getMessage(), 'E.164'), 'bad existing message: ' . ($e ? $e->getMessage() : ''));
same($e ? $e->getCode() : null, Engine::INVALID_EXISTING, 'bad existing code');
throws(fn() => $create->prepare($request)->resolve(['unknown' => 1]), 'bad existing in resolve throws');

// Many calls: buffers are freed (memory must not grow with the call count).
$before = memory_get_usage();
for ($i = 0; $i < 300; $i++) {
    $create->respond($request, $existing);
    $create->prepare($request)->resolve($existing);
    $create->normalizePhone('415 555 2671');
}
check(memory_get_usage() - $before < 64 * 1024, 'PHP memory stable over many calls');

unset($create, $quota, $delete, $update, $records, $book);

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
