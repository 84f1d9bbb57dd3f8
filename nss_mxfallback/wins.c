/* Stage wins: a NetBIOS name query to the configured WINS servers.
 * Not built yet (issue 3): the stage answers "not found". */
#include "stage.h"

enum mxf_outcome mxf_stage_wins(struct mxf_query *q, struct mxf_answer *ans)
{
	(void)q;
	(void)ans;
	return MXF_NO_NAME;
}
