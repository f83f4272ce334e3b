#include "widgets/dialogs/settingsdialog.h"

#include "widgets/dialogs/dialogheight.h"

#include "core/monitor/prometheusexporter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace torchlab {

namespace {

// Selects the entry whose data is `value`; an unknown non-empty value is kept
// as an extra entry so that OK never silently changes a setting.
void selectData(QComboBox *combo, const QString &value, const QString &unknownLabel)
{
    int index = combo->findData(value);
    if (index < 0 && !value.isEmpty()) {
        combo->addItem(unknownLabel.arg(value), value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(qMax(0, index));
}

void disableItem(QComboBox *combo, int index)
{
    if (auto *model = qobject_cast<QStandardItemModel *>(combo->model()))
        if (QStandardItem *item = model->item(index))
            item->setEnabled(false);
}

} // namespace

SettingsDialog::SettingsDialog(const LabSettings &settings, const DiscoveryResult &discovery,
                               QWidget *parent, const QList<Target> &targets)
    : QDialog(parent), m_settings(settings), m_libtorch(new QComboBox(this)),
      m_compiler(new QComboBox(this)), m_device(new QComboBox(this)), m_target(new QComboBox(this)),
      m_timeScale(new QDoubleSpinBox(this)), m_memory(new QSpinBox(this)),
      m_quick(
          new QCheckBox(tr("Quick runs (fewer training steps; checks use looser bounds)"), this)),
      m_buildWhileTyping(new QCheckBox(tr("Compile while I type (Run starts sooner)"), this)),
      m_sandbox(new QComboBox(this)), m_theme(new QComboBox(this)), m_language(new QComboBox(this)),
      m_fontSize(new QSpinBox(this))
{
    setWindowTitle(tr("Settings"));

    // Toolchain.
    m_libtorch->addItem(tr("Automatic (best match for this machine)"), QString());
    for (const LibTorchInstall &install : discovery.installs) {
        m_libtorch->addItem(install.displayName(), install.id());
        const int index = m_libtorch->count() - 1;
        m_libtorch->setItemData(index, install.root, Qt::ToolTipRole);
        if (!install.usable()) {
            m_libtorch->setItemText(index, tr("%1 — unusable").arg(install.displayName()));
            m_libtorch->setItemData(index, install.problems.join(QLatin1Char('\n')),
                                    Qt::ToolTipRole);
            disableItem(m_libtorch, index);
        }
    }
    // Settings may name an install by its root as well as by its id.
    QString libtorch = settings.libtorch;
    if (!libtorch.isEmpty() && m_libtorch->findData(libtorch) < 0)
        if (const auto install = discovery.install(libtorch))
            libtorch = install->id();
    selectData(m_libtorch, libtorch, tr("%1 (not found)"));
    m_initialLibtorch = m_libtorch->currentIndex();

    m_compiler->addItem(tr("Automatic"), QString());
    for (const CompilerInfo &compiler : discovery.cxxCompilers()) {
        m_compiler->addItem(QStringLiteral("%1 — %2").arg(compiler.displayName(), compiler.path),
                            compiler.path);
        m_compiler->setItemData(m_compiler->count() - 1, compiler.versionText, Qt::ToolTipRole);
    }
    selectData(m_compiler, settings.compiler, tr("%1 (not found)"));
    m_initialCompiler = m_compiler->currentIndex();

    m_device->addItem(tr("Automatic (GPU when there is one)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    selectData(m_device, settings.device.isEmpty() ? QStringLiteral("auto") : settings.device,
               QStringLiteral("%1"));
    m_initialDevice = m_device->currentIndex();

    // Runs: where, then how long.
    m_target->addItem(tr("This computer"), QString());
    for (const Target &t : targets) {
        m_target->addItem(QStringLiteral("%1 — %2").arg(t.name, t.describe()), t.name);
        m_target->setItemData(m_target->count() - 1, t.url(), Qt::ToolTipRole);
    }
    selectData(m_target, settings.runTarget, tr("%1 (not found)"));
    m_target->setToolTip(tr("Where Run and Check compile and run your code: this computer, or a "
                            "course GPU server added with torchlab-cli target add."));

    m_timeScale->setRange(0.5, 10.0);
    m_timeScale->setSingleStep(0.5);
    m_timeScale->setDecimals(1);
    m_timeScale->setSuffix(QStringLiteral(" ×"));
    m_timeScale->setValue(settings.timeScale);
    m_timeScale->setToolTip(tr("Multiplies each lesson's time limit; raise it on a slow machine."));

    m_memory->setRange(0, 1 << 20);
    m_memory->setSingleStep(512);
    m_memory->setSuffix(tr(" MiB"));
    m_memory->setSpecialValueText(tr("The lesson's own limit"));
    m_memory->setValue(settings.memoryMb);
    m_memory->setToolTip(tr("Caps the memory of your program's runs."));

    m_quick->setChecked(settings.quickRuns);
    m_buildWhileTyping->setChecked(settings.buildWhileTyping);
    m_buildWhileTyping->setToolTip(
        tr("When you pause typing, your code is compiled in the background at low priority, so "
           "Run only has to start it. Paused while your program runs."));

    for (const SandboxMode mode : {SandboxMode::Auto, SandboxMode::Require, SandboxMode::Off}) {
        const QString text = mode == SandboxMode::Auto ? tr("Use the sandbox when possible")
                             : mode == SandboxMode::Require
                                 ? tr("Require the sandbox (refuse to run without it)")
                                 : tr("Off (programs get all my account's rights)");
        m_sandbox->addItem(text, sandboxModeName(mode));
    }
    m_sandbox->setCurrentIndex(qMax(0, m_sandbox->findData(sandboxModeName(settings.sandbox))));
    m_sandbox->setToolTip(
        tr("Lessons' and packs' programs run in a bubblewrap sandbox: your files are read-only to "
           "them, keys and sessions are hidden, the network is cut off, and everything they start "
           "ends with the run. Help ▸ Environment says whether this computer can make it."));

    // Prometheus: off unless asked for; an address of the learner's choice.
    m_prometheus = new QCheckBox(tr("Serve run metrics to Prometheus at"), this);
    m_prometheus->setChecked(!settings.prometheusAddress.isEmpty());
    m_prometheus->setToolTip(
        tr("While a run goes on, its loss, step rate, GPU memory and the lab's counters are "
           "served in Prometheus' text format at http://ADDRESS/metrics, for a course server's "
           "Prometheus and its alerts (docs/monitoring.md). 127.0.0.1 serves this computer "
           "only."));
    m_prometheusAddress = new QLineEdit(this);
    m_prometheusAddress->setText(
        settings.prometheusAddress.isEmpty()
            ? QStringLiteral("127.0.0.1:%1").arg(PrometheusExporter::DefaultPort)
            : settings.prometheusAddress);
    m_prometheusAddress->setPlaceholderText(
        QStringLiteral("127.0.0.1:%1").arg(PrometheusExporter::DefaultPort));
    m_prometheusProblem = new QLabel(this);
    m_prometheusProblem->setWordWrap(true);
    m_prometheusProblem->setObjectName(QStringLiteral("prometheusProblem"));
    m_prometheusProblem->hide();

    // Appearance.
    m_theme->addItem(tr("Follow the system"), int(LabSettings::Theme::System));
    m_theme->addItem(tr("Light"), int(LabSettings::Theme::Light));
    m_theme->addItem(tr("Dark"), int(LabSettings::Theme::Dark));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(int(settings.theme))));

    // Language names are written in their own language, so anyone can find theirs.
    m_language->addItem(tr("Follow the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    selectData(m_language, settings.language, QStringLiteral("%1"));

    m_fontSize->setRange(6, 40);
    m_fontSize->setSuffix(tr(" pt"));
    m_fontSize->setValue(settings.editorFontSize);

    auto *toolchain = new QGroupBox(tr("Toolchain"), this);
    auto *toolchainForm = new QFormLayout(toolchain);
    toolchainForm->addRow(tr("&LibTorch:"), m_libtorch);
    toolchainForm->addRow(tr("C++ &compiler:"), m_compiler);
    toolchainForm->addRow(tr("&Device:"), m_device);
    if (discovery.installs.isEmpty()) {
        auto *none = new QLabel(
            tr("No LibTorch was found. The Environment dialog says how to install it."), toolchain);
        none->setWordWrap(true);
        toolchainForm->addRow(none);
    }

    auto *runs = new QGroupBox(tr("Runs"), this);
    auto *runsForm = new QFormLayout(runs);
    runsForm->addRow(tr("Run &on:"), m_target);
    if (targets.isEmpty()) {
        auto *how = new QLabel(tr("To run on a course GPU server, add it once with "
                                  "torchlab-cli target add NAME ssh://HOST (see "
                                  "docs/course-server.md)."),
                               runs);
        how->setWordWrap(true);
        runsForm->addRow(how);
    }
    runsForm->addRow(tr("&Time limit scale:"), m_timeScale);
    runsForm->addRow(tr("&Memory cap:"), m_memory);
    runsForm->addRow(m_quick);
    runsForm->addRow(m_buildWhileTyping);
    runsForm->addRow(tr("&Sandbox:"), m_sandbox);
    auto *prometheusRow = new QHBoxLayout;
    prometheusRow->addWidget(m_prometheus);
    prometheusRow->addWidget(m_prometheusAddress, 1);
    runsForm->addRow(prometheusRow);
    runsForm->addRow(m_prometheusProblem);

    auto *appearance = new QGroupBox(tr("Appearance"), this);
    auto *appearanceForm = new QFormLayout(appearance);
    appearanceForm->addRow(tr("T&heme:"), m_theme);
    appearanceForm->addRow(tr("&Language:"), m_language);
    appearanceForm->addRow(tr("Editor &font size:"), m_fontSize);
    auto *restart = new QLabel(tr("A new language applies after restarting the lab."), appearance);
    restart->setWordWrap(true);
    QFont small = restart->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    restart->setFont(small);
    appearanceForm->addRow(restart);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    // A wrong address is said here, where it can be fixed, not after OK.
    const auto checkAddress = [this] {
        m_prometheusAddress->setEnabled(m_prometheus->isChecked());
        QString problem;
        if (m_prometheus->isChecked()) {
            QString host;
            int port = 0;
            problem =
                PrometheusExporter::parseAddress(m_prometheusAddress->text(), &host, &port).error();
        }
        m_prometheusProblem->setText(problem);
        m_prometheusProblem->setVisible(!problem.isEmpty());
        m_ok->setEnabled(problem.isEmpty());
    };
    connect(m_prometheus, &QCheckBox::toggled, this, checkAddress);
    connect(m_prometheusAddress, &QLineEdit::textChanged, this, checkAddress);
    checkAddress();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolchain);
    layout->addWidget(runs);
    layout->addWidget(appearance);
    layout->addStretch(1);
    layout->addWidget(buttons);
    for (QComboBox *combo : {m_libtorch, m_compiler})
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_libtorch->setMinimumContentsLength(40);
    m_compiler->setMinimumContentsLength(40);
    // The wrapped note under "Run on" needs its second line.
    keepHeightForWidth(this);
}

LabSettings SettingsDialog::settings() const
{
    // A choice the learner left alone keeps its stored spelling (an install
    // root rather than its id, an empty device rather than "auto").
    LabSettings s = m_settings;
    if (m_libtorch->currentIndex() != m_initialLibtorch)
        s.libtorch = m_libtorch->currentData().toString();
    if (m_compiler->currentIndex() != m_initialCompiler)
        s.compiler = m_compiler->currentData().toString();
    if (m_device->currentIndex() != m_initialDevice)
        s.device = m_device->currentData().toString();
    s.runTarget = m_target->currentData().toString();
    s.timeScale = m_timeScale->value();
    s.memoryMb = m_memory->value();
    s.quickRuns = m_quick->isChecked();
    s.buildWhileTyping = m_buildWhileTyping->isChecked();
    s.sandbox = sandboxModeFromName(m_sandbox->currentData().toString());
    s.prometheusAddress =
        m_prometheus->isChecked() ? m_prometheusAddress->text().trimmed() : QString();
    s.theme = static_cast<LabSettings::Theme>(m_theme->currentData().toInt());
    s.language = m_language->currentData().toString();
    s.editorFontSize = m_fontSize->value();
    return s;
}

} // namespace torchlab
