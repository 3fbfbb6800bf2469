using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// Gives the Graph SDK a token for the connected Graph root and for nothing else: a request to
    /// any other host (a stray nextLink, a redirect) goes out without the caller's token.
    /// </summary>
    internal sealed class GraphTokenProvider : IAccessTokenProvider
    {
        private readonly TokenCredential _credential;
        private readonly Uri _graphRoot;
        private readonly string[] _scopes;

        private readonly string _tenantId;

        // scopes: what to ask for; null: the resource's .default (whatever was consented).
        // tenantId: the tenant to ask the token of (a customer's, for a partner); null: the credential's own.
        public GraphTokenProvider(TokenCredential credential, Uri graphRoot, string[] scopes = null, string tenantId = null)
        {
            _credential = credential;
            _graphRoot = graphRoot;
            _tenantId = tenantId;
            _scopes = scopes ?? new[] { graphRoot.GetLeftPart(UriPartial.Authority) + "/.default" };
            AllowedHostsValidator = new AllowedHostsValidator(new[] { graphRoot.Authority });
        }

        public AllowedHostsValidator AllowedHostsValidator { get; }

        internal TokenCredential Credential => _credential;
        internal string[] Scopes => _scopes;

        /// <summary>The claims of the last token handed out (never the token).</summary>
        public Connection.TokenClaims LastClaims { get; private set; }

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object> additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            if (!string.Equals(uri.Scheme, _graphRoot.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(uri.Authority, _graphRoot.Authority, StringComparison.OrdinalIgnoreCase))
                return string.Empty;
            return await NextTokenAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Gets a token (signing in when none is cached) only to read its claims; null when it is not a JWT.</summary>
        public async Task<Connection.TokenClaims> ReadClaimsAsync(CancellationToken cancellationToken)
        {
            await NextTokenAsync(cancellationToken).ConfigureAwait(false);
            return LastClaims;
        }

        private async Task<string> NextTokenAsync(CancellationToken cancellationToken)
        {
            var token = await _credential.GetTokenAsync(new TokenRequestContext(_scopes, tenantId: _tenantId), cancellationToken).ConfigureAwait(false);
            LastClaims = Connection.TokenClaims.TryParse(token.Token) ?? LastClaims;
            return token.Token;
        }
    }
}
