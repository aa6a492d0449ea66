<?php
/**
 * A minimal FastCGI client (the responder role, one request per connection)
 * for talking to php-fpm on the loopback interface without a web server.
 *
 *     $r = fcgi_request('127.0.0.1', 9071, '/path/app.php', 'mode=shared', $body);
 *     // ['status' => 200, 'headers' => [...], 'body' => '...', 'stderr' => '...']
 */

declare(strict_types=1);

function fcgi_record(int $type, int $id, string $content): string
{
    $len = strlen($content);
    $pad = (8 - $len % 8) % 8;
    return pack('CCnnCx', 1, $type, $id, $len, $pad) . $content . str_repeat("\0", $pad);
}

function fcgi_pair(string $name, string $value): string
{
    $enc = fn(int $n) => $n < 128 ? chr($n) : pack('N', $n | 0x80000000);
    return $enc(strlen($name)) . $enc(strlen($value)) . $name . $value;
}

/** @return array{status: int, headers: array<string, string>, body: string, stderr: string} */
function fcgi_request(string $host, int $port, string $script, string $query, string $body = '', float $timeout = 30.0): array
{
    $sock = @stream_socket_client("tcp://$host:$port", $errno, $errstr, $timeout);
    if ($sock === false) {
        throw new RuntimeException("connect $host:$port: $errstr");
    }
    stream_set_timeout($sock, (int) ceil($timeout));
    $params = [
        'GATEWAY_INTERFACE' => 'FastCGI/1.0',
        'REQUEST_METHOD' => 'POST',
        'SCRIPT_FILENAME' => $script,
        'SCRIPT_NAME' => '/' . basename($script),
        'REQUEST_URI' => '/' . basename($script) . '?' . $query,
        'QUERY_STRING' => $query,
        'CONTENT_TYPE' => 'application/json',
        'CONTENT_LENGTH' => (string) strlen($body),
        'SERVER_PROTOCOL' => 'HTTP/1.1',
        'SERVER_NAME' => 'localhost',
        'REMOTE_ADDR' => '127.0.0.1',
    ];
    $out = fcgi_record(1, 1, pack('nCx5', 1, 0)); // BEGIN_REQUEST, responder, close after
    $p = '';
    foreach ($params as $k => $v) {
        $p .= fcgi_pair($k, $v);
    }
    $out .= fcgi_record(4, 1, $p) . fcgi_record(4, 1, '');
    foreach (str_split($body, 65535) as $chunk) {
        if ($chunk !== '') {
            $out .= fcgi_record(5, 1, $chunk);
        }
    }
    $out .= fcgi_record(5, 1, '');
    for ($sent = 0; $sent < strlen($out);) {
        $n = fwrite($sock, substr($out, $sent));
        if ($n === false || $n === 0) {
            throw new RuntimeException('write to php-fpm failed');
        }
        $sent += $n;
    }
    $stdout = '';
    $stderr = '';
    $ended = false;
    while (!$ended) {
        $head = fcgi_read($sock, 8);
        $h = unpack('Cversion/Ctype/nid/nlen/Cpad', $head);
        $content = $h['len'] > 0 ? fcgi_read($sock, $h['len']) : '';
        if ($h['pad'] > 0) {
            fcgi_read($sock, $h['pad']);
        }
        match ($h['type']) {
            6 => $stdout .= $content,
            7 => $stderr .= $content,
            3 => $ended = true,
            default => null,
        };
    }
    fclose($sock);
    [$rawHeaders, $responseBody] = array_pad(explode("\r\n\r\n", $stdout, 2), 2, '');
    $headers = [];
    foreach (explode("\r\n", $rawHeaders) as $line) {
        if (str_contains($line, ':')) {
            [$k, $v] = explode(':', $line, 2);
            $headers[strtolower(trim($k))] = trim($v);
        }
    }
    $status = isset($headers['status']) ? (int) $headers['status'] : 200;
    return ['status' => $status, 'headers' => $headers, 'body' => $responseBody, 'stderr' => $stderr];
}

/** @param resource $sock */
function fcgi_read($sock, int $n): string
{
    $data = '';
    while (strlen($data) < $n) {
        $chunk = fread($sock, $n - strlen($data));
        if ($chunk === false || $chunk === '') {
            $meta = stream_get_meta_data($sock);
            throw new RuntimeException($meta['timed_out'] ? 'php-fpm timed out' : 'php-fpm closed the connection');
        }
        $data .= $chunk;
    }
    return $data;
}
