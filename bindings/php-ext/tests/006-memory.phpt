--TEST--
300 calls in a loop do not grow memory (Zend heap or process RSS)
--EXTENSIONS--
contact_batch
--SKIPIF--
<?php if (!is_readable('/proc/self/status')) die('skip needs /proc'); ?>
--FILE--
<?php
function rss_kb(): int {
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return (int)$m[1];
}
$body = json_encode(['contacts' => array_map(
    fn($i) => ['firstname' => "N$i", 'phone' => sprintf('+1 415 555 %04d', $i % 10000), 'email' => "a$i@example.com"],
    range(1, 200))]);
$run = function (int $n) use ($body) {
    for ($i = 0; $i < $n; $i++) {
        $engine = new ContactBatch\Engine(['profile' => 'rasl-create', 'threads' => 1]);
        $r = $engine->respond($body, ['phones' => ['+14155550001' => 1]]);
        $p = $engine->prepare($body);
        $p->keys();
        $p->resolve();
        ContactBatch\normalize_phone('+1 415 555 2671');
        ContactBatch\normalize_phone_result('12');
        ContactBatch\validate_email_result('a@localhost');
        $shared = ContactBatch\Engine::shared(['profile' => 'rasl-create']);
        $shared->respond(['contacts' => [['firstname' => 'A', 'phone' => '+14155550001']]], ['phones' => []]);
        $shared->prepare($body)->outcome();
        $shared->normalizePhoneResult('12');
        try { $shared->warm(['XX']); } catch (ContactBatch\ConfigException $e) {}
        ContactBatch\validate_email('a@b.co');
        try { $engine->respond('{}', ['phones' => ['x' => 1]]); } catch (ContactBatch\Exception $e) {}
    }
    return $r['status'];
};
$run(30); // warm up allocators
$heap0 = memory_get_usage();
$rss0 = rss_kb();
$status = $run(300);
$heap1 = memory_get_usage();
$rss1 = rss_kb();
echo $status, "\n";
echo ($heap1 - $heap0) < 64 * 1024 ? "heap stable\n" : "heap grew by " . ($heap1 - $heap0) . "\n";
echo ($rss1 - $rss0) < 16 * 1024 ? "rss stable\n" : "rss grew by " . ($rss1 - $rss0) . " kB\n";
?>
--EXPECT--
200
heap stable
rss stable
