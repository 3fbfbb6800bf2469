using System;
using System.Linq;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>Who is signed in to which tenant, how, and where Graph is. Holds no secret.</summary>
    public sealed class GraphContextInfo
    {
        public string TenantId { get; set; }
        public string TenantDisplayName { get; set; }
        public string InitialDomain { get; set; }
        public string Account { get; set; }
        public string AppId { get; set; }

        /// <summary>The token's delegated scopes (scp), or its application roles for an app-only token; null when it is not a JWT.</summary>
        public string[] Scopes { get; set; }

        public DateTimeOffset? TokenExpiresOn { get; set; }
        public SignInMethod AuthType { get; set; }
        public string Environment { get; set; }
        public Uri GraphEndpoint { get; set; }
        public string ExchangeEnvironmentName { get; set; }
        public DateTimeOffset ConnectedAt { get; set; }

        /// <summary>The same sign-in (account, app, cloud, endpoint) in another tenant: a partner's customer.</summary>
        internal GraphContextInfo InTenant(Graph.OrganizationInfo organization, TokenClaims claims)
        {
            var context = (GraphContextInfo)MemberwiseClone();
            context.TenantId = organization.TenantId;
            context.TenantDisplayName = organization.DisplayName;
            context.InitialDomain = organization.InitialDomain;
            context.Account = claims?.Account ?? Account;
            context.Scopes = claims?.Permissions.ToArray() ?? Scopes;
            context.TokenExpiresOn = claims?.ExpiresOn;
            context.ConnectedAt = DateTimeOffset.UtcNow;
            return context;
        }
    }
}
