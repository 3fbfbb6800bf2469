using System;
using System.Collections.Generic;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>What Install- or Uninstall-DropzoneExoIntegration did, step by step, and what is left to do.</summary>
    public sealed class IntegrationReport
    {
        public string OrganizationId { get; internal set; }
        public string TenantId { get; internal set; }
        public Guid ApplicationId { get; internal set; }
        public string ApplicationDisplayName { get; internal set; }
        public string ServicePrincipalObjectId { get; internal set; }
        public string CertificateThumbprint { get; internal set; }
        public DateTimeOffset? CertificateNotAfter { get; internal set; }
        public IReadOnlyList<StepReport> Steps { get; internal set; } = new StepReport[0];
        public string NextSteps { get; internal set; }

        /// <summary>The values for the Dropzone AI UI's form (Install only; null for Uninstall).</summary>
        public DropzoneForm Form { get; internal set; }

        /// <summary>The error a step stopped on (the report is written before it is raised); null when none did.</summary>
        public DropzoneException Failure { get; internal set; }
    }
}
