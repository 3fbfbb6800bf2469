using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// One source of the default sign-in chain. ChainedTokenCredential moves on only when a source
    /// is unavailable; a token endpoint that ANSWERS with an error (Cloud Shell's AudienceNotSupported,
    /// azure-docs cloud-shell/msi-authorization.md) would end the whole chain. Here such an answer
    /// makes the source unavailable, with its message kept, so the next source gets its turn.
    /// </summary>
    internal sealed class FallThroughCredential : TokenCredential
    {
        private readonly TokenCredential _inner;
        private readonly string _name;

        public FallThroughCredential(TokenCredential inner, string name)
        {
            _inner = inner;
            _name = name;
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            try
            {
                return _inner.GetToken(requestContext, cancellationToken);
            }
            catch (AuthenticationFailedException e)
            {
                throw new CredentialUnavailableException($"{_name}: {e.Message}", e);
            }
        }

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            try
            {
                return await _inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException e)
            {
                throw new CredentialUnavailableException($"{_name}: {e.Message}", e);
            }
        }

        public override string ToString() => _name;
    }
}
