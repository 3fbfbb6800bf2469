# Every command the built module exports has complete help: its own synopsis and description,
# every parameter described, examples with code and remarks, related links; and the module's about
# topic is found by Get-Help. The help comes from src/Dropzone.ExoSetup/help (Build-Help.ps1).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
    $module = Import-Module (Get-TestModulePath) -PassThru -ErrorAction Stop
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $commandCases = foreach ($name in $module.ExportedCommands.Keys | Sort-Object) {
        @{
            Name       = $name
            Parameters = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        }
    }
    $exportedNames = @($commandCases | ForEach-Object { $_.Name })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -ErrorAction Stop
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-HelpText($Node) {
        # Get-Help gives paragraphs as objects with a Text property; join them into one string.
        (@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n"
    }
}

Describe 'Help of <Name>' -ForEach $commandCases {
    BeforeAll {
        $script:Help = Get-Help -Name $Name -Full
        $script:HelpParameters = @($Help.parameters.parameter | Where-Object { $_ })
    }

    It 'comes from the module''s help file, not from the generated stub' {
        $Help.GetType().Name | Should -Not -Be 'String'
        $Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis of its own' {
        $synopsis = "$($Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without help, Get-Help's synopsis is the command's syntax.
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        $synopsis | Should -Not -BeLike '*{{*'
    }

    It 'has a description' {
        Get-HelpText $Help.description | Should -Not -BeNullOrEmpty
    }

    It 'describes the parameter -<_>' -ForEach $Parameters {
        $parameter = $HelpParameters | Where-Object name -EQ $_
        $parameter | Should -Not -BeNullOrEmpty -Because "-$_ should have an entry under PARAMETERS"
        Get-HelpText $parameter.description | Should -Not -BeNullOrEmpty -Because "-$_ should be described"
    }

    It 'describes no parameter the command does not have' {
        $actual = @((Get-Command $Name).Parameters.Keys)
        @($HelpParameters.name | Where-Object { $_ -notin $actual }) | Should -BeNullOrEmpty
    }

    It 'shows a syntax for each parameter set' {
        $sets = @((Get-Command $Name).ParameterSets)
        @($Help.syntax.syntaxItem).Count | Should -Be $sets.Count
    }

    It 'has at least two examples' {
        @($Help.examples.example | Where-Object { $_ }).Count | Should -BeGreaterOrEqual 2
    }

    It 'gives every example code and remarks' {
        foreach ($example in $Help.examples.example) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) should have code"
            (Get-HelpText $example.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) should have remarks"
        }
    }

    It 'has related links' {
        @($Help.relatedLinks.navigationLink | Where-Object { $_.linkText -or $_.uri }).Count | Should -BeGreaterThan 0
    }

    It 'names its output' {
        @($Help.returnValues.returnValue.type.name | Where-Object { $_ }).Count | Should -BeGreaterThan 0
    }
}

Describe 'about_Dropzone_ExoSetup' {
    BeforeAll {
        $script:AboutFile = Join-Path $ModulePath 'en-US/about_Dropzone_ExoSetup.help.txt'
        $script:About = (Get-Help -Name about_Dropzone_ExoSetup -ErrorAction SilentlyContinue | Out-String)
    }

    It 'ships in the module''s en-US folder' {
        $AboutFile | Should -Exist
    }

    It 'is found by Get-Help' {
        $About | Should -Match 'about_Dropzone_ExoSetup'
    }

    It 'has the standard about topic headings' {
        $About | Should -Match '(?m)^TOPIC\s*$'
        $About | Should -Match '(?m)^SHORT DESCRIPTION\s*$'
        $About | Should -Match '(?m)^LONG DESCRIPTION\s*$'
    }

    It 'describes the five steps of the procedure' {
        foreach ($step in 1..5) { $About | Should -Match "(?m)^\s+$step\.\s" }
    }

    It 'has its command list filled in' {
        $About | Should -Not -Match '\{\{'
    }

    It 'lists <_> as a cmdlet of this version' -ForEach $exportedNames {
        $inThisVersion = [regex]::Match($About, '(?s)In this version.*?Planned for later versions').Value
        $inThisVersion | Should -Match ([regex]::Escape($_))
    }
}
