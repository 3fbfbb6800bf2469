using System;
using System.Collections.Generic;
using System.Net.Http;
using Azure.Core;
using Dropzone.ExoSetup.Engine.Graph;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// A signed-in connection to one tenant's Graph: the HTTP pipeline, the gateway over it and the
    /// context it was verified with. Owned by one PowerShell runspace.
    /// </summary>
    public sealed class GraphConnection : IDisposable
    {
        private readonly HttpClient _http;

        internal GraphConnection(TokenCredential credential, Uri graphRoot, string[] scopes = null, string tenantId = null)
        {
            GraphRoot = graphRoot;
            TokenProvider = new GraphTokenProvider(credential, graphRoot, scopes, tenantId);
            var handlers = GraphClientFactory.CreateDefaultHandlers();
            // Last, so that it sees each attempt the retry handler makes.
            handlers.Add(new GraphRequestLogHandler());
            _http = GraphClientFactory.Create(handlers);
            var client = new GraphServiceClient(_http, new BaseBearerTokenAuthenticationProvider(TokenProvider), graphRoot + "v1.0");
            Gateway = new GraphGateway(client, _http);
        }

        public Uri GraphRoot { get; }
        public GraphGateway Gateway { get; }
        public GraphContextInfo Context { get; internal set; }
        internal GraphTokenProvider TokenProvider { get; }

        /// <summary>The claims of the token in use (never the token); null when it is not a JWT.</summary>
        public TokenClaims Claims => TokenProvider.LastClaims;

        /// <summary>
        /// A connection to another tenant's Graph for the same signed-in account (a partner's
        /// customer through GDAP): the same credential, asked for that tenant's token.
        /// </summary>
        internal GraphConnection ForTenant(string tenantId) =>
            new GraphConnection(TokenProvider.Credential, GraphRoot, TokenProvider.Scopes, tenantId);

        public void Dispose() => _http.Dispose();
    }
}
