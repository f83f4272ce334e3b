// A second translation unit that includes lab.h: its inline variables and
// statics must not make the hello line go out twice.
#include <torchlab/lab.h>

int second_unit_metric(int64_t step)
{
    lab::metric("second_unit", step, 1.0);
    return 0;
}
