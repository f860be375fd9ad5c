/* SPDX-License-Identifier: GPL-2.0 */
/* The project's one version number: module, tools and DKMS package. */
#ifndef _UCP_VERSION_H
#define _UCP_VERSION_H

#define UCP_VERSION "0.1.0"

#endif /* _UCP_VERSION_H */
