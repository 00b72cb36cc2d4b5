// libFuzzer target for the command line's text: the input as arguments
// separated by NUL bytes. All work is in fuzz_entries.cpp, shared with the
// replay test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  zielwerk::fuzz::run_cli_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
