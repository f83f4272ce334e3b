#pragma once

#include <QString>

namespace torchlab {

// Where the built-in course is, in this order: `explicitDirectory` (--course),
// $TORCHLAB_COURSE, the installed <prefix>/share/torchlab/course next to the
// executable when it holds a pack (an installed lab opens its own course even
// where the source tree it was built from still exists), the source tree's
// lessons/course when it exists (a build tree runs without installing), else
// the installed folder. A folder the user
// named is returned even when it holds no pack, so that loading it reports
// what is wrong with it.
QString locateCourse(const QString &explicitDirectory = QString());

} // namespace torchlab
