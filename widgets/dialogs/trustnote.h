#pragma once

class QLabel;
class QWidget;

namespace torchlab {

// "What a pack's code can do here", for the install and subscribe dialogs:
// the sandbox's promise when this computer can make it (docs/sandbox.md),
// a plain warning when it cannot. Object name "trustNote".
QLabel *makeTrustNote(QWidget *parent);

} // namespace torchlab
