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

        public GraphTokenProvider(TokenCredential credential, Uri graphRoot)
        {
            _credential = credential;
            _graphRoot = graphRoot;
            _scopes = new[] { graphRoot.GetLeftPart(UriPartial.Authority) + "/.default" };
            AllowedHostsValidator = new AllowedHostsValidator(new[] { graphRoot.Authority });
        }

        public AllowedHostsValidator AllowedHostsValidator { get; }

        /// <summary>The claims of the last token handed out (never the token).</summary>
        public Connection.TokenClaims LastClaims { get; private set; }

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object> additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            if (!string.Equals(uri.Scheme, _graphRoot.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(uri.Authority, _graphRoot.Authority, StringComparison.OrdinalIgnoreCase))
                return string.Empty;
            var token = await _credential.GetTokenAsync(new TokenRequestContext(_scopes), cancellationToken).ConfigureAwait(false);
            LastClaims = Connection.TokenClaims.TryParse(token.Token) ?? LastClaims;
            return token.Token;
        }
    }
}
