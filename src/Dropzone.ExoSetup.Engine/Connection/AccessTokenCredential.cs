using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// A credential over a token the caller already has (-AccessToken). The token stays in its
    /// SecureString and is turned into text only for the moment a request needs it.
    /// </summary>
    internal sealed class AccessTokenCredential : TokenCredential
    {
        private readonly SecureString _token;
        private readonly DateTimeOffset _expiresOn;

        public AccessTokenCredential(SecureString token)
        {
            _token = token.Copy();
            _token.MakeReadOnly();
            _expiresOn = TokenClaims.TryParse(Reveal())?.ExpiresOn ?? DateTimeOffset.UtcNow.AddHours(1);
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new AccessToken(Reveal(), _expiresOn);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));

        private string Reveal()
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(_token);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
