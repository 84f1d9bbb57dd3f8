/* libFuzzer target: any bytes as a NetBIOS name service reply to the
 * query whose ID the first two bytes carry, for HOST<00>, as a NODE STATUS
 * reply, and as a reply to the bcast stage's broadcast from inside the
 * subnet asked. */
#include "bcast_rules.h"
#include "nbns.h"

#include <arpa/inet.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char name[MXF_NB_NAME_LEN];
	char status_name[MXF_NB_NAME_LEN];
	struct mxf_nb_reply reply;
	uint16_t id;

	if (size < 2)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	mxf_nb_make_name("HOST", 4, 0x00, name);
	mxf_nb_parse_reply(data, size, id, name, &reply);
	mxf_nb_parse_status(data, size, id, status_name);
	struct mxf_bcast_target target = { .addr = { .sin_family = AF_INET,
						     .sin_port = htons(MXF_NB_PORT),
						     .sin_addr.s_addr = htonl(0xc61200ffu) },
					   .netmask.s_addr = htonl(0xffffff00u) };
	struct sockaddr_in from = target.addr;
	from.sin_addr.s_addr = htonl(0xc612008cu);
	mxf_bcast_judge(data, size, &from, id, name, &target, 1, &reply);
	if (size <= 16)
		mxf_nb_make_name((const char *)data, size, data[0], name);
	return 0;
}
