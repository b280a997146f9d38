#ifndef CCAIRO_DEFLATE_H
#define CCAIRO_DEFLATE_H

/// The zlib level this thread's `deflateInit(strm, Z_DEFAULT_COMPRESSION)` calls get: -1 (zlib's
/// default, 6) unless set. The PDF renderer sets 0 (stored) while Cairo writes a document, because
/// the post-processor compresses every stream of the file once, itself (see ccairo_deflate.c).
void cd_set_default_deflate_level(int level);
int cd_default_deflate_level(void);
/// How many deflate streams this process started through the override (for a test that the
/// override is in effect in a binary).
long cd_default_deflate_overrides(void);
#endif
