// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into adprofctl.static only. libnl-3.a's address and protocol-name
 * helpers, which adprofctl never calls, refer to these glibc NSS lookups;
 * glibc's static versions would load NSS modules from shared libraries at
 * run time (and ld warns about it). The initramfs has no shared libraries,
 * so answer like a lookup that found nothing.
 */
#include <netdb.h>
#include <stddef.h>

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

struct protoent *getprotobyname(const char *name)
{
	(void)name;
	return NULL;
}

struct protoent *getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}
