// The external baseline: Google's C++ libphonenumber (Debian's
// libphonenumber-dev) doing only parse -> IsValidNumber -> Format(E164) on
// the phones of a CSV file, the reference point users know.
//
//   libphonenumber_loop FILE.csv [PHONE_COLUMN [REGION_COLUMN]]
//
// Reads the CSV (header row; RFC 4180 quoting), takes the `phone` column and
// the optional `region` column (ISO 3166-1 alpha-2; blank or absent: "ZZ",
// so a number must be international, like the engine with no default
// region), and prints the number of rows, the number of valid numbers, and
// the time of the loop alone on stderr.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// Splits CSV text into records of fields (RFC 4180: quoted fields, "" inside
// quotes, newlines inside quotes, CRLF or LF line ends).
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        any = true;
        break;
      case ',':
        row.push_back(field);
        field.clear();
        any = true;
        break;
      case '\r':
        break;
      case '\n':
        if (any || !field.empty()) {
          row.push_back(field);
          rows.push_back(row);
        }
        row.clear();
        field.clear();
        any = false;
        break;
      default:
        field.push_back(c);
        any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

int Column(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

// parse -> IsValidNumber -> Format(E164) on every data row; the number
// valid. Not inlined, so callgrind can collect it alone.
__attribute__((noinline)) size_t RunLoop(const PhoneNumberUtil& util,
                                         const std::vector<std::vector<std::string>>& rows,
                                         int phone_at, int region_at) {
  size_t valid = 0;
  std::string e164;
  for (size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string>& row = rows[r];
    if (static_cast<size_t>(phone_at) >= row.size()) continue;
    std::string region = "ZZ";
    if (region_at >= 0 && static_cast<size_t>(region_at) < row.size() &&
        !row[region_at].empty()) {
      region = row[region_at];
    }
    PhoneNumber number;
    if (util.Parse(row[phone_at], region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
      continue;
    }
    if (!util.IsValidNumber(number)) continue;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    ++valid;
  }
  return valid;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv [PHONE_COLUMN [REGION_COLUMN]]\n", argv[0]);
    return 2;
  }
  std::string phone_col = argc > 2 ? argv[2] : "phone";
  std::string region_col = argc > 3 ? argv[3] : "region";
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::vector<std::vector<std::string>> rows = ReadCsv(buf.str());
  if (rows.empty()) {
    std::fprintf(stderr, "%s: no header row\n", argv[1]);
    return 2;
  }
  int phone_at = Column(rows[0], phone_col);
  int region_at = Column(rows[0], region_col);
  if (phone_at < 0) {
    std::fprintf(stderr, "%s: no `%s` column\n", argv[1], phone_col.c_str());
    return 2;
  }

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  // PASSES=2 runs a warm-up pass first (the library compiles its patterns on
  // first use) and times only the last: callgrind's --toggle-collect on
  // RunLoop then counts warm instructions per number
  // (benches/examples/phone_normalize.rs). Default 1: the cold loop.
  const char* passes_env = std::getenv("PASSES");
  int passes = passes_env ? std::atoi(passes_env) : 1;
  if (passes < 1) passes = 1;
  for (int p = 1; p < passes; ++p) RunLoop(util, rows, phone_at, region_at);
  auto start = std::chrono::steady_clock::now();
  size_t valid = RunLoop(util, rows, phone_at, region_at);
  size_t total = rows.size() - 1;
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu\n", valid);
  std::fprintf(stderr, "rows %zu valid %zu loop %.3f s (%.2f us/number)\n", total, valid, secs,
               total ? secs * 1e6 / total : 0.0);
  return 0;
}
