/* libFuzzer target over the C core: pb_feed with the input cut into chunks
 * (plan chosen by the first input bytes), optionally after a padding line that
 * makes the document stream through the decoder in UTF-8, GB18030 or UTF-16LE,
 * optionally gzip-compressed first; every plan is checked against one
 * whole-buffer parse, reset-and-reuse, sticky errors and the allocator's live
 * block count. The input layout and the checks are tl_fuzz_one in
 * tests/c/pb_testlib.h, which the test program also runs on every file in
 * tests/fuzz/regressions. The same bytes then go, split into lines, through
 * the narrative facts reader (tl_fuzz_facts: a second read into the same store
 * reads the same, an allocation failure leaves nothing live), and the facts
 * read, and the bytes as facts written out, through the comparisons of facts
 * with each other (tl_fuzz_checks_of, tl_fuzz_fact_checks) and text.vs_table's
 * decisions against figures near their values (tl_fuzz_restate). Build and run:
 * `make fuzz SECONDS=60`. */
#include "../c/pb_testlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return tl_fuzz_one(data, size);
}
