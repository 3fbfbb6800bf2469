using System;

namespace Dropzone.ExoSetup
{
    /// <summary>The runspace's Graph connection as Connect-DropzoneGraph and Get-DropzoneGraphContext show it.</summary>
    public sealed class GraphContext
    {
        public string TenantId { get; internal set; }
        public string TenantDisplayName { get; internal set; }

        /// <summary>The tenant's initial *.onmicrosoft.com domain (the vendor's "Organization ID").</summary>
        public string InitialDomain { get; internal set; }

        public string Account { get; internal set; }
        public string AppId { get; internal set; }

        /// <summary>What the token may do: its delegated scopes, or its application roles; empty when the token is not a JWT.</summary>
        public string[] Scopes { get; internal set; }

        public DateTimeOffset? TokenExpiresOn { get; internal set; }
        public string AuthType { get; internal set; }
        public GraphEnvironment Environment { get; internal set; }
        public Uri GraphEndpoint { get; internal set; }

        /// <summary>What Connect-ExchangeOnline -ExchangeEnvironmentName takes for this cloud.</summary>
        public string ExchangeEnvironmentName { get; internal set; }

        public DateTimeOffset ConnectedAt { get; internal set; }

        internal static GraphContext From(Engine.Connection.GraphContextInfo info) => new GraphContext
        {
            TenantId = info.TenantId,
            TenantDisplayName = info.TenantDisplayName,
            InitialDomain = info.InitialDomain,
            Account = info.Account,
            AppId = info.AppId,
            Scopes = info.Scopes ?? new string[0],
            TokenExpiresOn = info.TokenExpiresOn,
            AuthType = info.AuthType.ToString(),
            Environment = (GraphEnvironment)Enum.Parse(typeof(GraphEnvironment), info.Environment),
            GraphEndpoint = info.GraphEndpoint,
            ExchangeEnvironmentName = info.ExchangeEnvironmentName,
            ConnectedAt = info.ConnectedAt,
        };
    }

    /// <summary>The Microsoft clouds Connect-DropzoneGraph -Environment knows.</summary>
    public enum GraphEnvironment
    {
        Global,
        USGov,
        USGovDoD,
        China,
    }
}
