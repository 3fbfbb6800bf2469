# Certificates made in memory for the tests, and their keyCredentials entries as Graph stores them.
# Part of TestHelpers.psm1 (dot-sourced into it).

function New-TestCertificate {
    <#
    .SYNOPSIS
    A self-signed RSA 2048 certificate made in memory, optionally written to -Path as -Format
    (Pem, Der, Base64 = base64 of the DER on one line, Pfx, PemWithPrivateKey). Returns an
    X509Certificate2: the public part only, except for Pfx and PemWithPrivateKey (with its key).
    #>
    [CmdletBinding()]
    param(
        [string] $Subject = 'CN=Dropzone AI test',
        [DateTimeOffset] $NotBefore = [DateTimeOffset]::UtcNow.Date.AddDays(-1),
        [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.Date.AddYears(1),
        [string] $Path,
        [ValidateSet('Pem', 'Der', 'Base64', 'Pfx', 'PemWithPrivateKey')][string] $Format = 'Pem',
        [securestring] $Password
    )
    if ($Subject -notmatch '=') { $Subject = "CN=$Subject" }
    $rsa = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa,
        [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $full = $request.CreateSelfSigned($NotBefore, $NotAfter)
    $public = [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificate($full.RawData)
    if ($Path) {
        $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
        switch ($Format) {
            'Pem' { [IO.File]::WriteAllText($target, $public.ExportCertificatePem() + "`n") }
            'Der' { [IO.File]::WriteAllBytes($target, $public.RawData) }
            'Base64' { [IO.File]::WriteAllText($target, [Convert]::ToBase64String($public.RawData)) }
            'Pfx' {
                $plain = if ($Password) { [Net.NetworkCredential]::new('', $Password).Password } else { $null }
                [IO.File]::WriteAllBytes($target, $full.Export([Security.Cryptography.X509Certificates.X509ContentType]::Pfx, $plain))
            }
            'PemWithPrivateKey' { [IO.File]::WriteAllText($target, $public.ExportCertificatePem() + "`n" + $rsa.ExportPkcs8PrivateKeyPem() + "`n") }
        }
    }
    if ($Format -in 'Pfx', 'PemWithPrivateKey') { return $full }
    $full.Dispose()
    $rsa.Dispose()
    $public
}

function New-CertificatePool {
    <# -Count public certificates (distinct keys), valid from yesterday for two years, to draw from. #>
    param([int] $Count = 8)
    1..$Count | ForEach-Object { New-TestCertificate -Subject "CN=Pool certificate $_" -NotAfter ([DateTimeOffset]::UtcNow.Date.AddYears(2)) }
}

function New-TestKeyCredential {
    <# A keyCredentials entry (Graph's shape, key included) for a certificate, as seeded tenants and other writers hold it. #>
    param([Parameter(Mandatory)][Security.Cryptography.X509Certificates.X509Certificate2] $Certificate, [string] $DisplayName = 'Other certificate')
    $iso = { param($date) ([DateTimeOffset]$date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    [ordered]@{
        customKeyIdentifier = $Certificate.Thumbprint; displayName = $DisplayName; endDateTime = & $iso $Certificate.NotAfter
        key = [Convert]::ToBase64String($Certificate.RawData); keyId = [guid]::NewGuid().ToString(); startDateTime = & $iso $Certificate.NotBefore
        type = 'AsymmetricX509Cert'; usage = 'Verify'
    }
}
