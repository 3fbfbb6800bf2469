using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup
{
    public enum IntegrationStepStatus
    {
        Done,
        AlreadyDone,
        Skipped,
        Failed,
    }

    /// <summary>One step of Install- or Uninstall-DropzoneExoIntegration and what became of it.</summary>
    public sealed class IntegrationStep
    {
        public string Name { get; internal set; }
        public IntegrationStepStatus Status { get; internal set; }
        public string Detail { get; internal set; }

        public override string ToString() => $"{Name}: {Status}";

        internal static IntegrationStep From(StepReport report) => new IntegrationStep
        {
            Name = report.Step.ToString(),
            Status = Enums.Convert<IntegrationStepStatus>(report.Status),
            Detail = report.Detail,
        };
    }

    /// <summary>
    /// What Install-DropzoneExoIntegration did, and what to paste into the Dropzone AI UI
    /// (<see cref="DropzoneForm"/>: Application (client) ID, Directory (tenant) ID, the client
    /// secret's hint and expiry, and the Organization ID, the tenant's initial *.onmicrosoft.com domain).
    /// </summary>
    public sealed class IntegrationSummary
    {
        // The engine's report, shown as PowerShell output (the engine's types stay in its own load context).
        private readonly IntegrationReport _report;

        internal IntegrationSummary(IntegrationReport report)
        {
            _report = report;
            Steps = report.Steps.Select(IntegrationStep.From).ToArray();
        }

        public string OrganizationId => _report.OrganizationId;
        public string TenantId => _report.TenantId;
        public Guid ApplicationId => _report.ApplicationId;
        public string ApplicationDisplayName => _report.ApplicationDisplayName;
        public string ServicePrincipalObjectId => _report.ServicePrincipalObjectId;
        public string CertificateThumbprint => _report.CertificateThumbprint;
        public DateTimeOffset? CertificateNotAfter => _report.CertificateNotAfter;

        /// <summary>The values to paste into the Dropzone AI UI, under the form's labels.</summary>
        public DropzoneFormValues DropzoneForm => DropzoneFormValues.From(_report.Form);

        public IntegrationStep[] Steps { get; }

        /// <summary>What is left to do, in words: the vendor UI entry, or the Exchange steps still to run.</summary>
        public string NextSteps => _report.NextSteps;

        /// <summary>Every step is Done or AlreadyDone.</summary>
        public bool Complete => Steps.Length > 0 && Steps.All(s => s.Status == IntegrationStepStatus.Done || s.Status == IntegrationStepStatus.AlreadyDone);
    }

    public enum IntegrationCheckStatus
    {
        Pass,
        Fail,

        /// <summary>Not a failure, but worth acting on: expired certificates on the app, or one expiring within 30 days.</summary>
        Warn,
        Skipped,
    }

    /// <summary>One check of Test-DropzoneExoIntegration.</summary>
    public sealed class IntegrationCheck
    {
        public string Check { get; internal set; }
        public IntegrationCheckStatus Status { get; internal set; }
        public string Detail { get; internal set; }
        public string Remediation { get; internal set; }

        /// <summary>On the last result (Check DropzoneForm) only: the values to paste into the Dropzone AI UI.</summary>
        public DropzoneFormValues DropzoneForm { get; internal set; }

        internal static IntegrationCheck From(CheckResult result) => new IntegrationCheck
        {
            Check = result.Check.ToString(),
            Status = Enums.Convert<IntegrationCheckStatus>(result.Status),
            Detail = result.Detail,
            Remediation = result.Remediation,
            DropzoneForm = DropzoneFormValues.From(result.Form),
        };
    }

    /// <summary>The engine's status enums and the output types' carry the same names.</summary>
    internal static class Enums
    {
        public static T Convert<T>(Enum value) where T : struct => (T)Enum.Parse(typeof(T), value.ToString());
    }
}
