using System;
using System.Collections.Generic;
using System.Linq;

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
    }

    /// <summary>
    /// What Install-DropzoneExoIntegration did, and what to paste into the Dropzone AI UI: the
    /// Organization ID (the tenant's initial *.onmicrosoft.com domain).
    /// </summary>
    public sealed class IntegrationSummary
    {
        public string OrganizationId { get; internal set; }
        public string TenantId { get; internal set; }
        public Guid ApplicationId { get; internal set; }
        public string ApplicationDisplayName { get; internal set; }
        public string ServicePrincipalObjectId { get; internal set; }
        public string CertificateThumbprint { get; internal set; }
        public DateTimeOffset? CertificateNotAfter { get; internal set; }
        public IntegrationStep[] Steps { get; internal set; } = new IntegrationStep[0];

        /// <summary>What is left to do, in words: the vendor UI entry, or the Exchange steps still to run.</summary>
        public string NextSteps { get; internal set; }

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
    }

    /// <summary>Step bookkeeping for the integration cmdlets: in order, with progress.</summary>
    internal sealed class IntegrationSteps
    {
        private readonly List<IntegrationStep> _steps = new List<IntegrationStep>();
        private readonly string[] _names;

        public IntegrationSteps(params string[] names)
        {
            _names = names;
        }

        public IntegrationStep[] ToArray()
        {
            var reported = _steps.ToList();
            reported.AddRange(_names.Where(n => reported.All(s => s.Name != n))
                .Select(n => new IntegrationStep { Name = n, Status = IntegrationStepStatus.Skipped, Detail = "Not run: an earlier step failed." }));
            return _names.Select(n => reported.First(s => s.Name == n)).ToArray();
        }

        public void Record(string name, IntegrationStepStatus status, string detail)
        {
            _steps.RemoveAll(s => s.Name == name);
            _steps.Add(new IntegrationStep { Name = name, Status = status, Detail = detail });
        }

        public int IndexOf(string name) => Array.IndexOf(_names, name);
        public int Count => _names.Length;
    }
}
