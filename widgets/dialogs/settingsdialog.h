#pragma once

#include "core/remote/target.h"
#include "core/toolchain/toolchaindiscovery.h"
#include "core/util/labsettings.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace torchlab {

// Settings: LibTorch install and compiler (from discovery, or automatic),
// device (auto/cpu/cuda), where runs happen (this computer or a target:
// a course GPU server or a Slurm cluster), run limits (time scale, memory cap), quick runs,
// serving runs' metrics to Prometheus, theme (system/light/dark), UI language (English, 简体中文),
// editor font size. Edits a copy; settings() returns it after accept().
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // `targets`: the saved targets (TargetStore) the learner can run on.
    SettingsDialog(const LabSettings &settings, const DiscoveryResult &discovery,
                   QWidget *parent = nullptr, const QList<Target> &targets = {});

    LabSettings settings() const;

private:
    LabSettings m_settings;
    QComboBox *m_libtorch = nullptr;
    QComboBox *m_compiler = nullptr;
    QComboBox *m_device = nullptr;
    QComboBox *m_target = nullptr;
    QDoubleSpinBox *m_timeScale = nullptr;
    QSpinBox *m_memory = nullptr;
    QCheckBox *m_quick = nullptr;
    QCheckBox *m_buildWhileTyping = nullptr;
    QComboBox *m_sandbox = nullptr;
    QCheckBox *m_prometheus = nullptr;
    QLineEdit *m_prometheusAddress = nullptr;
    QLabel *m_prometheusProblem = nullptr;
    QPushButton *m_ok = nullptr;
    QComboBox *m_theme = nullptr;
    QComboBox *m_language = nullptr;
    QSpinBox *m_fontSize = nullptr;
    int m_initialLibtorch = 0;
    int m_initialCompiler = 0;
    int m_initialDevice = 0;
};

} // namespace torchlab
