/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny streaming JSON writer for adprofctl -j. Members take a key inside
 * an object and NULL inside an array; closing the outermost value ends
 * the line.
 */
#ifndef ADPROF_JSON_H
#define ADPROF_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX	8

struct json {
	FILE *f;
	unsigned int depth;
	bool comma[JSON_DEPTH_MAX];	/* a member was written at this level */
};

void json_init(struct json *j, FILE *f);
void json_escape(FILE *f, const char *s);
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, char bracket);
void json_str(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);

#endif /* ADPROF_JSON_H */
