/* Stage lmhosts: the LMHOSTS file.
 * Not built yet (issue 4): the stage answers "not found". */
#include "stage.h"

enum mxf_outcome mxf_stage_lmhosts(struct mxf_query *q, struct mxf_answer *ans)
{
	(void)q;
	(void)ans;
	return MXF_NO_NAME;
}
