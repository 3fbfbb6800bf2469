using System;
using System.Collections.Generic;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Planning
{
    public enum ChangeKind
    {
        AddCertificate,
        RemoveCertificate,
        RequestPermission,
        RemovePermission,
        CreateServicePrincipal,
        GrantConsent,
        RevokeConsent,
        CreateExchangeServicePrincipal,
        AssignExchangeRole,
        RemoveExchangeRoleAssignment,
        RemoveExchangeServicePrincipal,
        DeleteServicePrincipal,
        AddClientSecret,
        RemoveClientSecret,
    }

    /// <summary>
    /// One write a step would make. The same list drives -WhatIf (its Target and Action are what
    /// ShouldProcess shows), the real run (the gateway applies the approved ones) and the checks.
    /// </summary>
    public sealed class PlannedChange
    {
        internal PlannedChange(ChangeKind kind, string target, string action)
        {
            Kind = kind;
            Target = target;
            Action = action;
        }

        public ChangeKind Kind { get; }

        /// <summary>What is changed, e.g. "application 'Dropzone AI' (appId …)".</summary>
        public string Target { get; }

        /// <summary>What is done to it, e.g. "Add certificate 'Dropzone AI' (thumbprint …)".</summary>
        public string Action { get; }

        /// <summary>For certificate changes: the whole keyCredentials collection to write.</summary>
        internal List<KeyCredential> KeyCredentials { get; set; }

        /// <summary>For permission changes: the whole requiredResourceAccess collection to write.</summary>
        internal List<RequiredResourceAccess> RequiredResourceAccess { get; set; }

        /// <summary>For RevokeConsent: the assignment to delete.</summary>
        internal string AssignmentId { get; set; }

        /// <summary>For Exchange removals: the -Identity of what is removed.</summary>
        internal string Identity { get; set; }

        /// <summary>For certificate changes made with -RemoveExpiredCertificate: the expired certificates removed.</summary>
        public IReadOnlyList<Model.CertificateDetails> RemovedCertificates { get; internal set; } = new List<Model.CertificateDetails>();

        /// <summary>For RemoveClientSecret: the secret removed.</summary>
        public Model.ClientSecretDetails ClientSecret { get; internal set; }

        /// <summary>For AddCertificate: the keyId given to the new certificate.</summary>
        public Guid? KeyId { get; internal set; }

        public override string ToString() => $"{Action} on {Target}";
    }
}
