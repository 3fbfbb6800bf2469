using System;
using System.Collections.Generic;
using System.Linq;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// The steps of the vendor's procedure, named once: Install- and Uninstall-DropzoneExoIntegration
    /// report them under these names, in the order they run.
    /// </summary>
    public enum SetupStep
    {
        Certificate,
        ExchangePermission,
        OrganizationId,
        ExchangeServicePrincipal,
        TransportHygiene,

        /// <summary>Uninstall only: the admin consent, removed apart from the permission entry.</summary>
        Consent,

        /// <summary>Uninstall only: the service principal (Enterprise application) the module created.</summary>
        ServicePrincipal,
    }

    /// <summary>The checks of Test-DropzoneExoIntegration, in the order it reports them.</summary>
    public enum SetupCheck
    {
        CertificatePresent,
        CertificateExpiry,
        ExpiredCertificates,
        ClientSecretExpiry,
        PermissionRequested,
        ConsentGranted,

        /// <summary>Application permissions of every API on the app (Exchange.ManageAsApp aside) without admin consent.</summary>
        OtherPermissionsConsent,
        OrganizationId,
        ExchangeServicePrincipal,
        TransportHygiene,

        /// <summary>Not a check: the values for the Dropzone AI UI's form (<see cref="CheckResult.Form"/>).</summary>
        DropzoneForm,
    }

    /// <summary>What became of a step (the module's IntegrationStepStatus has the same names).</summary>
    public enum StepStatus
    {
        Done,
        AlreadyDone,
        Skipped,
        Failed,
    }

    /// <summary>A check's verdict (the module's IntegrationCheckStatus has the same names).</summary>
    public enum CheckStatus
    {
        Pass,
        Fail,
        Warn,
        Skipped,
    }

    /// <summary>One step of a run and what became of it.</summary>
    public sealed class StepReport
    {
        internal StepReport(SetupStep step, StepStatus status, string detail)
        {
            Step = step;
            Status = status;
            Detail = detail;
        }

        public SetupStep Step { get; }
        public StepStatus Status { get; }
        public string Detail { get; }
    }

    /// <summary>One check of Test-DropzoneExoIntegration: the verdict, why, and what to run about it.</summary>
    public sealed class CheckResult
    {
        internal CheckResult(SetupCheck check, CheckStatus status, string detail, string remediation, DropzoneForm form = null)
        {
            Check = check;
            Status = status;
            Detail = detail;
            Remediation = remediation;
            Form = form;
        }

        public SetupCheck Check { get; }
        public CheckStatus Status { get; }
        public string Detail { get; }
        public string Remediation { get; }

        /// <summary>The values for the Dropzone AI UI (the DropzoneForm result only; null on every check).</summary>
        public DropzoneForm Form { get; }

        internal static CheckResult Pass(SetupCheck check, string detail) => new CheckResult(check, CheckStatus.Pass, detail, null);
        internal static CheckResult Fail(SetupCheck check, string detail, string remediation) => new CheckResult(check, CheckStatus.Fail, detail, remediation);
        internal static CheckResult Warn(SetupCheck check, string detail, string remediation) => new CheckResult(check, CheckStatus.Warn, detail, remediation);
        internal static CheckResult Skipped(SetupCheck check, string detail, string remediation) => new CheckResult(check, CheckStatus.Skipped, detail, remediation);
    }

    /// <summary>The steps of one run, in order: what each became, with progress as they start.</summary>
    public sealed class StepLog
    {
        private const int ProgressActivityId = 1;
        private readonly List<StepReport> _reports = new List<StepReport>();
        private readonly SetupStep[] _order;
        private readonly string _activity;
        private readonly Diagnostics.IOperationLog _log;

        public StepLog(string activity, Diagnostics.IOperationLog log, params SetupStep[] order)
        {
            _activity = activity;
            _log = log ?? Diagnostics.NullOperationLog.Instance;
            _order = order;
        }

        /// <summary>Sets what became of <paramref name="step"/> (a later record replaces an earlier one).</summary>
        public void Record(SetupStep step, StepStatus status, string detail)
        {
            _reports.RemoveAll(r => r.Step == step);
            _reports.Add(new StepReport(step, status, detail));
        }

        /// <summary>A progress report: "Step n of m: name. status".</summary>
        public void Starting(SetupStep step, string status)
        {
            var index = Array.IndexOf(_order, step);
            _log.Progress(new Diagnostics.OperationProgress(ProgressActivityId, _activity,
                $"Step {index + 1} of {_order.Length}: {step}. {status}", 100 * index / _order.Length));
        }

        /// <summary>Ends the progress bar.</summary>
        public void Finished() =>
            _log.Progress(new Diagnostics.OperationProgress(ProgressActivityId, _activity, "Done", completed: true));

        /// <summary>Every step in order; one that never ran is Skipped because an earlier one failed.</summary>
        public IReadOnlyList<StepReport> Reports() =>
            _order.Select(s => _reports.FirstOrDefault(r => r.Step == s)
                ?? new StepReport(s, StepStatus.Skipped, "Not run: an earlier step failed.")).ToList();

        /// <summary>Every step is Done or AlreadyDone.</summary>
        public bool Complete => Reports().All(r => r.Status == StepStatus.Done || r.Status == StepStatus.AlreadyDone);

        public bool AnyFailed => _reports.Any(r => r.Status == StepStatus.Failed);
    }
}
