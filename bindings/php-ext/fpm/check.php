<?php
/**
 * The loopback client of the php-fpm deployment test (fpm-test.sh runs it):
 * a few hundred requests to the pool, then the checks:
 *   - every ordinary request answers 200 from a shared engine;
 *   - engines are reused: each worker built exactly one engine for the one
 *     config, and builds + reuses add up to the requests it served;
 *   - worker memory stays flat: a worker's RSS after its last request is
 *     within 4 MB of its RSS after its 20th;
 *   - hostile bodies (invalid UTF-8, deep nesting, huge, binary; 10 000-digit
 *     phones as rows) get the API's 4xx (or 200 with the rows failed) and
 *     never kill a worker: the same worker pids
 *     answer before and after them.
 *
 *     php check.php PORT APP_PATH [REQUESTS]
 * Prints one line per failed check and "N passed, M failed"; exits 1 on any failure.
 */

declare(strict_types=1);

require __DIR__ . '/fcgi.php';

[$port, $app, $requests] = [(int) $argv[1], $argv[2], (int) ($argv[3] ?? 300)];
$passed = 0;
$failed = 0;
function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}

function call(string $mode, string $body): array
{
    global $port, $app;
    $r = fcgi_request('127.0.0.1', $port, $app, "mode=$mode", $body);
    $json = json_decode($r['body'], true);
    if (!is_array($json)) {
        return ['status' => -$r['status'], 'error' => 'not JSON: ' . substr($r['body'], 0, 200) . $r['stderr'], 'pid' => 0];
    }
    return $json;
}

$rows = fn(int $n) => json_encode(['contacts' => array_map(
    fn($i) => ['firstname' => "N$i", 'phone' => sprintf('(415) 555-%04d', $i), 'email' => "a$i@example.com"],
    range(1, $n)
)]);
$body = $rows(50);

$workers = []; // pid => list of answers
for ($i = 0; $i < $requests; $i++) {
    $a = call('shared', $body);
    check($a['status'] === 200, "request $i: status {$a['status']} " . ($a['error'] ?? ''));
    $workers[$a['pid']][] = $a;
}
check(count($workers) >= 1, 'at least one worker answered');
foreach ($workers as $pid => $answers) {
    $last = end($answers);
    $n = count($answers);
    check($last['stats']['builds'] === 1, "worker $pid built {$last['stats']['builds']} engines for one config");
    check($last['stats']['builds'] + $last['stats']['reuses'] === $n,
        "worker $pid: builds + reuses = " . ($last['stats']['builds'] + $last['stats']['reuses']) . ", requests $n");
    if ($n > 40) {
        $grew = $last['rss_kb'] - $answers[19]['rss_kb'];
        check($grew < 4096, "worker $pid RSS grew by $grew kB from its 20th to its {$n}th request");
        check(abs($last['heap'] - $answers[19]['heap']) < 65536, "worker $pid heap changed: {$answers[19]['heap']} -> {$last['heap']}");
    }
}
printf("%d requests over %d workers; builds per worker: %s\n", $requests, count($workers),
    implode(', ', array_map(fn($a) => end($a)['stats']['builds'] . '+' . end($a)['stats']['reuses'], $workers)));

// Hostile bodies: the API's 4xx, never a dead worker.
$pidsBefore = array_keys($workers);
$hostile = [
    'invalid UTF-8' => "{\"contacts\":[{\"firstname\":\"\xff\xfe\"}]}",
    'deep nesting' => str_repeat('[', 200000),
    'deep objects' => str_repeat('{"a":', 100000),
    'truncated' => '{"contacts":[{"firstname":"A"',
    'binary' => random_bytes(4096),
    'NUL bytes' => "{\"contacts\":[{\"firstname\":\"A\0B\",\"phone\":\"+1415\0\"}]}",
    'huge body' => '{"contacts":[' . str_repeat('{"firstname":"' . str_repeat('x', 1000) . '"},', 12000) . '{}]}',
    'long phone' => json_encode(['contacts' => [['firstname' => 'A', 'phone' => str_repeat('9', 10000)]]]),
    'tel: after phone-context' => json_encode(['contacts' => [['firstname' => 'A', 'phone' => "9+ 3.06 127042;phone-context=exampl415;isub=%f\x0ctel:7042"]]]),
    'too many rows' => $rows(1001),
    'empty' => '',
];
// Bad rows inside a well-formed request are the 200 answer with those rows failed.
$rowLevel = ['long phone' => true, 'tel: after phone-context' => true];
foreach ($hostile as $what => $b) {
    for ($k = 0; $k < 3; $k++) {
        $a = call('shared', $b);
        $ok = isset($rowLevel[$what]) ? $a['status'] === 200 : $a['status'] >= 400 && $a['status'] < 500;
        check($ok, "$what: status {$a['status']} " . ($a['error'] ?? ''));
    }
}
$pidsAfter = [];
for ($i = 0; $i < 40; $i++) {
    $a = call('shared', $body);
    check($a['status'] === 200, "after the hostile bodies: status {$a['status']}");
    $pidsAfter[$a['pid']] = true;
}
$pidsAfter = array_keys($pidsAfter);
sort($pidsBefore);
sort($pidsAfter);
check(array_diff($pidsAfter, $pidsBefore) === [], 'no worker was replaced: before ' . implode(',', $pidsBefore) . ' after ' . implode(',', $pidsAfter));

echo "fpm: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
