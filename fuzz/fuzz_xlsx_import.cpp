// libFuzzer target for the workbook importer: the input as one XLSX (and ODS) file.
// All work is in fuzz_entries.cpp, shared with the replay test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  zielwerk::fuzz::run_xlsx_import(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
