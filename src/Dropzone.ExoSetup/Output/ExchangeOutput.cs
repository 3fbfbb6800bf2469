using System;

namespace Dropzone.ExoSetup
{
    public enum ExchangeStepStatus
    {
        Created,
        AlreadyExists,
    }

    /// <summary>What New-DropzoneExoServicePrincipal did.</summary>
    public sealed class ExchangeServicePrincipalResult
    {
        public Guid AppId { get; internal set; }

        /// <summary>The Enterprise application's object id Exchange knows the app by.</summary>
        public string ObjectId { get; internal set; }

        public string DisplayName { get; internal set; }
        public ExchangeStepStatus Status { get; internal set; }
    }

    /// <summary>What New-DropzoneExoRoleAssignment did.</summary>
    public sealed class ExchangeRoleAssignmentResult
    {
        public string Name { get; internal set; }
        public string Role { get; internal set; }
        public Guid AppId { get; internal set; }
        public string ObjectId { get; internal set; }
        public ExchangeStepStatus Status { get; internal set; }
    }
}
