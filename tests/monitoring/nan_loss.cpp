// A training loop whose loss becomes NaN at step 5 and that keeps going
// (about 10 steps a second, until the test stops it or 5 minutes pass):
// what the alert rules and the lab's advice must catch while it runs.
#include <torchlab/lab.h>

#include <chrono>
#include <cmath>
#include <thread>

int main()
{
    for (int step = 0; step < 3000; ++step) {
        lab::loss(step, step < 5 ? 1.0 / (step + 1) : std::nan(""));
        lab::metric("accuracy", step, 0.1);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}
