using System;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup
{
    public enum TenantIntegrationStatus
    {
        /// <summary>Something was written in this run and every step is done.</summary>
        Done,

        /// <summary>Every step was done already: nothing was written.</summary>
        AlreadyDone,

        /// <summary>A step or the row failed: see ErrorId and Error. A re-run retries only what is missing.</summary>
        Failed,

        /// <summary>-WhatIf: the plan was listed, nothing was written.</summary>
        WhatIf,

        /// <summary>A change was declined at a -Confirm prompt: run again and accept it (NextSteps in Error says so).</summary>
        Incomplete,
    }

    /// <summary>What Install-DropzoneExoTenantIntegration did in one customer tenant.</summary>
    public sealed class TenantIntegrationResult
    {
        /// <summary>The TenantId of the row, as given (GUID or initial domain).</summary>
        public string TenantId { get; internal set; }

        /// <summary>The tenant's id as Graph reports it; empty when it was never reached.</summary>
        public string DirectoryTenantId { get; internal set; }

        public TenantIntegrationStatus Status { get; internal set; }
        public IntegrationStep[] Steps { get; internal set; } = new IntegrationStep[0];

        /// <summary>The values for that tenant's Dropzone AI UI form; null when the tenant was not read.</summary>
        public DropzoneFormValues DropzoneForm { get; internal set; }

        public string OrganizationId => DropzoneForm?.OrganizationId;
        public string ErrorId { get; internal set; }
        public string Error { get; internal set; }
        public string RecommendedAction { get; internal set; }

        internal static TenantIntegrationResult Failed(string tenant, DropzoneException e, IntegrationReport report = null) => new TenantIntegrationResult
        {
            TenantId = tenant,
            DirectoryTenantId = report?.TenantId,
            Status = TenantIntegrationStatus.Failed,
            Steps = report?.Steps.Select(IntegrationStep.From).ToArray() ?? new IntegrationStep[0],
            DropzoneForm = DropzoneFormValues.From(report?.Form),
            ErrorId = e.ErrorId,
            Error = e.Message,
            RecommendedAction = e.RecommendedAction,
        };

        internal static TenantIntegrationResult From(string tenant, IntegrationReport report, bool whatIf)
        {
            if (report.Failure != null) return Failed(tenant, report.Failure, report);
            var steps = report.Steps.Select(IntegrationStep.From).ToArray();
            var complete = steps.Length > 0 && steps.All(s => s.Status == IntegrationStepStatus.Done || s.Status == IntegrationStepStatus.AlreadyDone);
            return new TenantIntegrationResult
            {
                TenantId = tenant,
                DirectoryTenantId = report.TenantId,
                Status = whatIf ? TenantIntegrationStatus.WhatIf
                    : !complete ? TenantIntegrationStatus.Incomplete
                    : steps.All(s => s.Status == IntegrationStepStatus.AlreadyDone) ? TenantIntegrationStatus.AlreadyDone
                    : TenantIntegrationStatus.Done,
                Steps = steps,
                DropzoneForm = DropzoneFormValues.From(report.Form),
                Error = complete || whatIf ? null : report.NextSteps,
            };
        }
    }
}
