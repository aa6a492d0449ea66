<?php
/**
 * Per-request cost under php-fpm (a benchmark, not a test; fpm-bench.sh runs
 * it against a pool). For 10- and 1000-row batches of numbers from 38
 * countries, the median over the requests of:
 *   setup   what the app spends getting its engine (hrtime inside the worker)
 *   respond the engine's respond() call
 *   total   the client's wall time per request (FastCGI round trip included)
 * for (a) a new extension engine per request, (b) Engine::shared(), (c) the
 * FFI package's engine per request; then a fresh engine's first 1000-row
 * batch without and with ->warm() of the 38 regions, against a reused engine.
 *
 *     php bench.php PORT APP_PATH [ROUNDS]
 */

declare(strict_types=1);

require __DIR__ . '/fcgi.php';

[$port, $app, $rounds] = [(int) $argv[1], $argv[2], (int) ($argv[3] ?? 1)];
$codes = [1, 44, 49, 33, 91, 55, 81, 61, 52, 34, 39, 31, 7, 86, 82, 27, 20, 234, 254, 62, 63, 66, 84, 90, 48, 46,
    47, 45, 358, 351, 30, 36, 420, 43, 41, 32, 353, 64];
$regions = 'US,GB,DE,FR,IN,BR,JP,AU,MX,ES,IT,NL,RU,CN,KR,ZA,EG,NG,KE,ID,PH,TH,VN,TR,PL,SE,NO,DK,FI,PT,GR,HU,CZ,AT,CH,BE,IE,NZ';
mt_srand(17);
$batch = function (int $n) use ($codes): string {
    $rows = [];
    for ($i = 0; $i < $n; $i++) {
        $cc = $codes[$i % count($codes)];
        $rows[] = ['firstname' => "N$i", 'phone' => "+$cc " . mt_rand(200000000, 999999999), 'email' => "u$i@example.com"];
    }
    return json_encode(['contacts' => $rows]);
};

function run(string $query, string $body, int $n): array
{
    global $port, $app;
    $setup = $respond = $total = [];
    for ($i = 0; $i < $n; $i++) {
        $t = hrtime(true);
        $r = fcgi_request('127.0.0.1', $port, $app, $query, $body, 120);
        $total[] = hrtime(true) - $t;
        $a = json_decode($r['body'], true);
        if (!is_array($a) || $a['status'] !== 200) {
            throw new RuntimeException("$query: " . substr($r['body'], 0, 300));
        }
        $setup[] = $a['setup_ns'];
        $respond[] = $a['respond_ns'];
    }
    return [median($setup), median($respond), median($total)];
}

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

$ms = fn(float $ns) => sprintf('%.3f', $ns / 1e6);
echo "| batch | mode | setup ms | respond ms | total ms per request |\n|---|---|---:|---:|---:|\n";
foreach ([10 => 200, 1000 => 40] as $rows => $n) {
    $body = $batch($rows);
    run('mode=shared', $body, 4); // both workers build their shared engine
    for ($round = 0; $round < $rounds; $round++) {
        foreach (['new' => 'engine per request', 'shared' => 'Engine::shared()', 'ffi' => 'FFI package, per request'] as $mode => $what) {
            [$s, $r, $t] = run("mode=$mode", $body, $n);
            echo "| $rows rows | $what | {$ms($s)} | {$ms($r)} | {$ms($t)} |\n";
        }
    }
}

$body = $batch(1000);
echo "\n| first 1000-row batch (38 countries) | setup ms | respond ms |\n|---|---:|---:|\n";
for ($round = 0; $round < $rounds; $round++) {
    [$s, $r] = run('mode=cold', $body, 15);
    echo "| new engine, cold | {$ms($s)} | {$ms($r)} |\n";
    [$s, $r] = run("mode=warm&regions=$regions", $body, 15);
    echo "| new engine after warm(38 regions) | {$ms($s)} | {$ms($r)} |\n";
    [$s, $r] = run('mode=shared', $body, 15);
    echo "| reused shared engine | {$ms($s)} | {$ms($r)} |\n";
}
