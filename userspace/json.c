// SPDX-License-Identifier: GPL-2.0
/* Tiny streaming JSON writer; see json.h. */
#include <assert.h>
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->comma[0] = false;
}

/**
 * json_escape() - write @s as a quoted JSON string
 * @f: stream
 * @s: NUL-terminated UTF-8 (bytes >= 0x80 are passed through)
 */
void json_escape(FILE *f, const char *s)
{
	unsigned char c;

	fputc('"', f);
	for (; (c = *s); s++) {
		switch (c) {
		case '"':
		case '\\':
			fprintf(f, "\\%c", c);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

/* Separator and key before a member. */
static void json_member(struct json *j, const char *key)
{
	if (j->comma[j->depth])
		fputc(',', j->f);
	j->comma[j->depth] = true;
	if (key) {
		json_escape(j->f, key);
		fputc(':', j->f);
	}
}

/** json_open() - start an object ('{') or array ('[') member */
void json_open(struct json *j, const char *key, char bracket)
{
	json_member(j, key);
	fputc(bracket, j->f);
	assert(j->depth < JSON_DEPTH_MAX - 1);
	j->depth++;
	j->comma[j->depth] = false;
}

/** json_close() - end the innermost object ('}') or array (']') */
void json_close(struct json *j, char bracket)
{
	assert(j->depth > 0);
	fputc(bracket, j->f);
	if (!--j->depth) {
		fputc('\n', j->f);
		j->comma[0] = false;	/* each top-level value is a line */
	}
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_member(j, key);
	json_escape(j->f, s);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_member(j, key);
	fputs(v ? "true" : "false", j->f);
}
