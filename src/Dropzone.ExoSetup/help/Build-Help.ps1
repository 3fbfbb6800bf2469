#Requires -Version 7.4
<#
.SYNOPSIS
Generates the module's MAML help (en-US/<assembly>-Help.xml) and about topics from the help sources.

.DESCRIPTION
The help source of each cmdlet is src/Dropzone.ExoSetup/help/<Verb-Noun>.help.psd1: synopsis,
description, one description per parameter, examples, notes and related links. Everything the
cmdlet itself knows (parameter sets, types, Mandatory, Position, pipeline input, aliases, default
values, enum values, OutputType) is read from the built module, so it can never drift from the code.

The built module is imported in a child pwsh process: this session loads none of its assemblies.

The build fails (this script throws) when help is missing or stale:
  - an exported command has no <Name>.help.psd1, or a source file has no exported command;
  - no Synopsis or Description;
  - a parameter (other than the common parameters) has no description;
  - a source file describes a parameter the command does not have;
  - fewer than two examples, or an example without Code or Remarks;
  - no related link;
  - there is no about topic, or an about topic does not start with TOPIC or lacks SHORT DESCRIPTION / LONG DESCRIPTION.
Every problem is listed, not just the first one.

About topics (about_*.help.txt) are copied to the output directory. A line holding only
{{CommandsInThisVersion}} is replaced by the exported commands and their synopses.

.EXAMPLE
./src/Dropzone.ExoSetup/help/Build-Help.ps1 -ModulePath ./out/Dropzone.ExoSetup -SourceDirectory ./src/Dropzone.ExoSetup/help -OutputDirectory ./out/Dropzone.ExoSetup/en-US
#>
[CmdletBinding()]
param(
    # The assembled module folder (holds the manifest).
    [Parameter(Mandatory)][string] $ModulePath,
    # The folder with the <Verb-Noun>.help.psd1 files and about_*.help.txt topics.
    [Parameter(Mandatory)][string] $SourceDirectory,
    # Where the MAML file and about topics go, normally <ModulePath>/en-US.
    [Parameter(Mandatory)][string] $OutputDirectory
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$SourceDirectory = (Resolve-Path -LiteralPath $SourceDirectory).Path
$OutputDirectory = [IO.Path]::GetFullPath($OutputDirectory, (Get-Location -PSProvider FileSystem).Path)

$NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$NsMSHelp = 'http://msdn.microsoft.com/mshelp'
$SourceKeys = 'Synopsis', 'Description', 'Parameters', 'Inputs', 'Outputs', 'Notes', 'Examples', 'Links'
$CommandListPlaceholder = '{{CommandsInThisVersion}}'

# WhatIf and Confirm are the same on every command: their help is written here unless a source overrides it.
$StandardParameterHelp = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Command metadata, read in a child pwsh
# Runs in the child: imports the module and writes what Get-Command knows about each exported
# command as JSON. Default values come from a fresh instance of the cmdlet class (or the function's
# param block), which is what PowerShell binds when the parameter is left out.
$MetadataScript = {
    param([string] $ModulePath, [string] $OutFile)
    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'
    $module = Import-Module -Name $ModulePath -PassThru -Force -WarningAction SilentlyContinue
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    function Format-Default($value) {
        if ($null -eq $value) { return $null }
        if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
        if ($value -is [Array]) { if ($value.Count -eq 0) { return $null }; return ($value | ForEach-Object { [string]$_ }) -join ', ' }
        $text = [string]$value
        if ($text -eq '') { return $null }
        $text
    }

    $commands = @($module.ExportedCmdlets.Values) + @($module.ExportedFunctions.Values) | Sort-Object Name
    $result = foreach ($command in $commands) {
        $instance = $null
        if ($command.CommandType -eq 'Cmdlet') { $instance = [Activator]::CreateInstance($command.ImplementingType) }
        $functionDefaults = @{}
        if ($command.CommandType -eq 'Function' -and $command.ScriptBlock.Ast.Body.ParamBlock) {
            foreach ($p in $command.ScriptBlock.Ast.Body.ParamBlock.Parameters) {
                if ($p.DefaultValue -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $functionDefaults[$p.Name.VariablePath.UserPath] = $p.DefaultValue.Value }
                elseif ($p.DefaultValue) { $functionDefaults[$p.Name.VariablePath.UserPath] = $p.DefaultValue.Extent.Text }
            }
        }

        $parameters = foreach ($p in $command.Parameters.Values) {
            if ($p.Name -in $common) { continue }
            $type = $p.ParameterType
            $elementType = if ($type.IsArray) { $type.GetElementType() } else { $type }
            $values = @()
            if ($elementType.IsEnum) { $values = [Enum]::GetNames($elementType) }
            $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            if ($validateSet) { $values = @($validateSet.ValidValues) }
            $default = $null
            if ($instance) {
                $property = $command.ImplementingType.GetProperty($p.Name)
                if ($property) { $default = Format-Default $property.GetValue($instance) }
            } elseif ($functionDefaults.ContainsKey($p.Name)) {
                $default = $functionDefaults[$p.Name]
            }
            if ($null -eq $default -and $type -eq [System.Management.Automation.SwitchParameter]) { $default = 'False' }
            [ordered]@{
                Name      = $p.Name
                Type      = $type.FullName
                TypeName  = $type.Name
                IsSwitch  = $type -eq [System.Management.Automation.SwitchParameter]
                IsArray   = $type.IsArray
                Aliases   = @($p.Aliases)
                Values    = @($values)
                Globbing  = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                Default   = $default
            }
        }

        $sets = foreach ($set in $command.ParameterSets) {
            [ordered]@{
                Name       = $set.Name
                IsDefault  = $set.IsDefault
                Parameters = @(foreach ($p in $set.Parameters) {
                    if ($p.Name -in $common) { continue }
                    [ordered]@{
                        Name                  = $p.Name
                        Mandatory             = $p.IsMandatory
                        Position              = $p.Position
                        FromPipeline          = $p.ValueFromPipeline
                        FromPipelineByName    = $p.ValueFromPipelineByPropertyName
                    }
                })
            }
        }

        [ordered]@{
            Name        = $command.Name
            CommandType = [string]$command.CommandType
            Verb        = $command.Verb
            Noun        = $command.Noun
            HelpFile    = $command.HelpFile
            OutputTypes = @($command.OutputType | ForEach-Object Name)
            Parameters  = @($parameters)
            Sets        = @($sets)
        }
    }
    [ordered]@{
        ModuleName = $module.Name
        RootModule = [IO.Path]::GetFileName($module.Path)
        Commands   = @($result)
    } | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutFile -Encoding utf8
}

function Get-ModuleMetadata {
    $scriptFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-help-metadata-{0}.ps1" -f [guid]::NewGuid())
    $jsonFile = [IO.Path]::ChangeExtension($scriptFile, '.json')
    Set-Content -LiteralPath $scriptFile -Value $MetadataScript.ToString() -Encoding utf8
    # The pwsh running this script: a pwsh apphost, or dotnet running pwsh.dll (dotnet pwsh).
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
    $arguments += '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $scriptFile, '-ModulePath', $ModulePath, '-OutFile', $jsonFile
    try {
        $childOutput = & $exe @arguments 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $jsonFile)) {
            throw "Could not read the commands of the module in $ModulePath (child pwsh exit code $LASTEXITCODE):`n$($childOutput -join "`n")"
        }
        Get-Content -LiteralPath $jsonFile -Raw | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $scriptFile, $jsonFile -ErrorAction SilentlyContinue
    }
}
#endregion

#region Text helpers
# Removes the indentation common to all lines, and blank lines at both ends.
function ConvertTo-Dedented([string] $Text) {
    $lines = ($Text -replace "`r`n", "`n").Split("`n")
    $indents = $lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length }
    $cut = ($indents | Measure-Object -Minimum).Minimum
    if (-not $cut) { $cut = 0 }
    $lines = $lines | ForEach-Object { if ($_.Length -ge $cut) { $_.Substring($cut).TrimEnd() } else { $_.TrimEnd() } }
    ($lines -join "`n").Trim("`n")
}

# Paragraphs are separated by blank lines; line breaks inside a paragraph are kept.
function Split-Paragraph([string] $Text) {
    if (-not $Text) { return @() }
    @((ConvertTo-Dedented $Text) -split "\n[ \t]*\n" | ForEach-Object { $_.Trim("`n") } | Where-Object { $_.Trim() })
}

function Test-Text($Value) { $Value -is [string] -and $Value.Trim().Length -gt 0 }
#endregion

#region Validation
function Test-HelpSource {
    param($Command, [hashtable] $Source, [string] $File)
    $problems = [System.Collections.Generic.List[string]]::new()
    $name = $Command.Name
    foreach ($key in $Source.Keys) {
        if ($key -notin $SourceKeys) { $problems.Add("${name}: unknown key '$key' in $File (allowed: $($SourceKeys -join ', '))") }
    }
    if (-not (Test-Text $Source['Synopsis'])) { $problems.Add("${name}: no Synopsis in $File") }
    if (-not (Test-Text $Source['Description'])) { $problems.Add("${name}: no Description in $File") }

    $described = if ($Source['Parameters'] -is [hashtable]) { $Source['Parameters'] } else { @{} }
    if ($null -ne $Source['Parameters'] -and $Source['Parameters'] -isnot [hashtable]) {
        $problems.Add("${name}: Parameters in $File must be a hashtable of name = 'description'")
    }
    $actual = @($Command.Parameters | ForEach-Object Name)
    foreach ($p in $actual) {
        if ($StandardParameterHelp.ContainsKey($p)) { continue }
        if (-not (Test-Text $described[$p])) { $problems.Add("${name}: the parameter -$p has no description in $File") }
    }
    foreach ($p in $described.Keys) {
        if ($p -notin $actual) { $problems.Add("${name}: $File describes -$p, which the command does not have (stale help)") }
    }

    $examples = @($Source['Examples'] | Where-Object { $null -ne $_ })
    if ($examples.Count -lt 2) { $problems.Add("${name}: $($examples.Count) example(s) in $File, at least 2 are required") }
    $i = 0
    foreach ($example in $examples) {
        $i++
        if ($example -isnot [hashtable]) { $problems.Add("${name}: example $i in $File is not a hashtable (@{ Title; Code; Remarks })"); continue }
        if (-not (Test-Text $example['Code'])) { $problems.Add("${name}: example $i in $File has no Code") }
        if (-not (Test-Text $example['Remarks'])) { $problems.Add("${name}: example $i in $File has no Remarks") }
    }

    $links = @($Source['Links'] | Where-Object { $null -ne $_ })
    if ($links.Count -eq 0) { $problems.Add("${name}: no related Links in $File") }
    foreach ($link in $links) {
        if ($link -isnot [hashtable] -or -not (Test-Text $link['Text'])) { $problems.Add("${name}: a link in $File has no Text (@{ Text; Uri })") }
    }
    foreach ($key in 'Inputs', 'Outputs') {
        foreach ($item in @($Source[$key] | Where-Object { $null -ne $_ })) {
            if ($item -isnot [hashtable] -or -not (Test-Text $item['Type'])) { $problems.Add("${name}: an entry of $key in $File has no Type (@{ Type; Description })") }
        }
    }
    $problems
}
#endregion

#region MAML writing
function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string] $Element, [string] $Namespace, [string] $Text, [switch] $TrailingEmptyParagraph) {
    $Writer.WriteStartElement($Element, $Namespace)
    $paragraphs = @(Split-Paragraph $Text)
    if ($paragraphs.Count -eq 0 -or $TrailingEmptyParagraph) { $paragraphs += '' }
    foreach ($para in $paragraphs) { $Writer.WriteElementString('para', $NsMaml, $para) }
    $Writer.WriteEndElement()
}

function Write-Type([System.Xml.XmlWriter] $Writer, [string] $TypeName) {
    $Writer.WriteStartElement('type', $NsDev)
    $Writer.WriteElementString('name', $NsMaml, $TypeName)
    $Writer.WriteElementString('uri', $NsMaml, '')
    $Writer.WriteEndElement()
}

# One <command:parameter>. $Binding holds what may differ between parameter sets (Required,
# Position, PipelineInput), already turned into the text Get-Help shows.
function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Binding, [string] $Description, [switch] $InSyntax) {
    $Writer.WriteStartElement('parameter', $NsCommand)
    $Writer.WriteAttributeString('required', $Binding.Required)
    $Writer.WriteAttributeString('variableLength', ([string][bool]$Parameter.IsArray).ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ([string][bool]$Parameter.Globbing).ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Binding.PipelineInput)
    $Writer.WriteAttributeString('position', $Binding.Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('name', $NsMaml, $Parameter.Name)
    Write-Paragraphs $Writer 'description' $NsMaml $Description
    if ($Parameter.Values.Count) {
        $Writer.WriteStartElement('parameterValueGroup', $NsCommand)
        foreach ($value in $Parameter.Values) {
            $Writer.WriteStartElement('parameterValue', $NsCommand)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $NsCommand, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not ($InSyntax -and $Parameter.IsSwitch)) {
        $Writer.WriteStartElement('parameterValue', $NsCommand)
        $Writer.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', ([string][bool]$Parameter.IsArray).ToLowerInvariant())
        $Writer.WriteString($Parameter.TypeName)
        $Writer.WriteEndElement()
    }
    Write-Type $Writer $Parameter.Type
    $Writer.WriteElementString('defaultValue', $NsDev, $(if ($null -ne $Parameter.Default) { $Parameter.Default } else { 'None' }))
    $Writer.WriteEndElement()
}

function Get-PipelineText($Entries) {
    $ways = @()
    if ($Entries | Where-Object FromPipelineByName) { $ways += 'ByPropertyName' }
    if ($Entries | Where-Object FromPipeline) { $ways += 'ByValue' }
    if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
}

function Get-PositionText($Entry) {
    if ($Entry.Position -ge 0) { [string]$Entry.Position } else { 'named' }
}

# "A", "A and B", "A, B and C".
function Join-English([string[]] $Items) {
    if ($Items.Count -le 1) { return "$Items" }
    "$($Items[0..($Items.Count - 2)] -join ', ') and $($Items[-1])"
}

# Text for a property that differs between parameter sets: "0 (SetA, SetB); named (SetC)".
function Join-BySet($Pairs) {
    $groups = @($Pairs | Group-Object Value)
    if ($groups.Count -eq 1) { return $groups[0].Name }
    ($groups | ForEach-Object { "$($_.Name) ($(($_.Group.Set) -join ', '))" }) -join '; '
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Command, [hashtable] $Source) {
    $byName = @{}
    foreach ($p in $Command.Parameters) { $byName[$p.Name] = $p }
    $described = if ($Source['Parameters'] -is [hashtable]) { $Source['Parameters'] } else { @{} }
    $descriptionOf = { param($name) if (Test-Text $described[$name]) { $described[$name] } else { $StandardParameterHelp[$name] } }

    $Writer.WriteStartElement('command', 'command', $NsCommand)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $NsMaml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $NsCommand)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $NsDev)
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, $NsMSHelp)

    $Writer.WriteStartElement('details', $NsCommand)
    $Writer.WriteElementString('name', $NsCommand, $Command.Name)
    $Writer.WriteElementString('verb', $NsCommand, $Command.Verb)
    $Writer.WriteElementString('noun', $NsCommand, $Command.Noun)
    Write-Paragraphs $Writer 'description' $NsMaml $Source['Synopsis']
    $Writer.WriteEndElement()

    Write-Paragraphs $Writer 'description' $NsMaml $Source['Description']

    # Syntax: one item per parameter set, the default set first; positional parameters in order,
    # then mandatory ones, then the rest; WhatIf and Confirm last, as PowerShell shows them.
    $sets = @($Command.Sets | Sort-Object { -not $_.IsDefault }, { [array]::IndexOf(@($Command.Sets), $_) })
    $Writer.WriteStartElement('syntax', $NsCommand)
    foreach ($set in $sets) {
        $Writer.WriteStartElement('syntaxItem', $NsCommand)
        $Writer.WriteElementString('name', $NsMaml, $Command.Name)
        $index = 0
        $ordered = $set.Parameters | ForEach-Object { [pscustomobject]@{ Entry = $_; Index = $index++ } } | Sort-Object `
            { if ($_.Entry.Name -in 'WhatIf', 'Confirm') { 3 } elseif ($_.Entry.Position -ge 0) { 0 } elseif ($_.Entry.Mandatory) { 1 } else { 2 } },
            { if ($_.Entry.Position -ge 0) { $_.Entry.Position } else { 0 } },
            Index
        foreach ($item in $ordered) {
            $entry = $item.Entry
            $binding = @{
                Required      = ([string][bool]$entry.Mandatory).ToLowerInvariant()
                Position      = Get-PositionText $entry
                PipelineInput = Get-PipelineText @($entry)
            }
            Write-Parameter $Writer $byName[$entry.Name] $binding (& $descriptionOf $entry.Name) -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Parameters: each once, in the order the command declares them (WhatIf and Confirm come last).
    $Writer.WriteStartElement('parameters', $NsCommand)
    $names = @($Command.Parameters | ForEach-Object Name)
    $declared = @($names | Sort-Object { $_ -in 'WhatIf', 'Confirm' }, { [array]::IndexOf($names, $_) })
    foreach ($name in $declared) {
        $inSets = foreach ($set in $sets) {
            foreach ($entry in $set.Parameters) { if ($entry.Name -eq $name) { [pscustomobject]@{ Set = $set.Name; Entry = $entry } } }
        }
        $inSets = @($inSets)
        # Get-Help shows only "true" or "false" as Required?, so a parameter that is mandatory in some
        # sets only is "false", as in PowerShell's own generated help, and its description says where.
        $description = & $descriptionOf $name
        $mandatoryIn = @($inSets | Where-Object { $_.Entry.Mandatory } | ForEach-Object Set)
        $optionalIn = @($inSets | Where-Object { -not $_.Entry.Mandatory } | ForEach-Object Set)
        if ($mandatoryIn.Count -and $optionalIn.Count) {
            $description += "`n`nRequired in the parameter sets $(Join-English $mandatoryIn); optional in $(Join-English $optionalIn)."
        }
        $binding = @{
            Required      = $(if ($mandatoryIn.Count -and -not $optionalIn.Count) { 'true' } else { 'false' })
            Position      = Join-BySet ($inSets | ForEach-Object { [pscustomobject]@{ Set = $_.Set; Value = Get-PositionText $_.Entry } })
            PipelineInput = Get-PipelineText @($inSets.Entry)
        }
        Write-Parameter $Writer $byName[$name] $binding $description
    }
    $Writer.WriteEndElement()

    # Inputs: as the source describes them, else the types that bind from the pipeline.
    $inputs = @($Source['Inputs'] | Where-Object { $null -ne $_ })
    if ($inputs.Count -eq 0) {
        $pipelineNames = @($Command.Sets.Parameters | Where-Object { $_.FromPipeline -or $_.FromPipelineByName } | ForEach-Object Name | Select-Object -Unique)
        $inputs = @($pipelineNames | ForEach-Object { @{ Type = $byName[$_].Type; Description = "Bound to -$_." } })
        if ($inputs.Count -eq 0) { $inputs = @(@{ Type = 'None'; Description = 'This cmdlet does not take input from the pipeline.' }) }
    }
    $Writer.WriteStartElement('inputTypes', $NsCommand)
    foreach ($item in $inputs) {
        $Writer.WriteStartElement('inputType', $NsCommand)
        Write-Type $Writer $item['Type']
        Write-Paragraphs $Writer 'description' $NsMaml $item['Description']
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Outputs: as the source describes them, else the command's OutputType.
    $outputs = @($Source['Outputs'] | Where-Object { $null -ne $_ })
    if ($outputs.Count -eq 0) { $outputs = @($Command.OutputTypes | ForEach-Object { @{ Type = $_; Description = '' } }) }
    if ($outputs.Count -eq 0) { $outputs = @(@{ Type = 'None'; Description = '' }) }
    $Writer.WriteStartElement('returnValues', $NsCommand)
    foreach ($item in $outputs) {
        $Writer.WriteStartElement('returnValue', $NsCommand)
        Write-Type $Writer $item['Type']
        Write-Paragraphs $Writer 'description' $NsMaml $item['Description']
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    if (Test-Text $Source['Notes']) {
        $Writer.WriteStartElement('alertSet', $NsMaml)
        $Writer.WriteStartElement('alert', $NsMaml)
        foreach ($para in Split-Paragraph $Source['Notes']) { $Writer.WriteElementString('para', $NsMaml, $para) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('examples', $NsCommand)
    $number = 0
    foreach ($example in $Source['Examples']) {
        $number++
        $title = "Example ${number}"
        if (Test-Text $example['Title']) { $title += ": $($example['Title'].Trim())" }
        $Writer.WriteStartElement('example', $NsCommand)
        $Writer.WriteElementString('title', $NsMaml, "---------- $title ----------")
        $Writer.WriteElementString('code', $NsDev, (ConvertTo-Dedented $example['Code']))
        # A trailing empty paragraph puts a blank line between one example and the next title.
        Write-Paragraphs $Writer 'remarks' $NsDev $example['Remarks'] -TrailingEmptyParagraph
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('relatedLinks', $NsCommand)
    foreach ($link in $Source['Links']) {
        $Writer.WriteStartElement('navigationLink', $NsMaml)
        $Writer.WriteElementString('linkText', $NsMaml, $link['Text'])
        $Writer.WriteElementString('uri', $NsMaml, [string]$link['Uri'])
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement() # command
}
#endregion

$started = [Diagnostics.Stopwatch]::StartNew()
$metadata = Get-ModuleMetadata
$commands = @($metadata.Commands)
$problems = [System.Collections.Generic.List[string]]::new()

# Sources: one per exported command, none for a command the module does not export.
$sources = @{}
$sourceFiles = @(Get-ChildItem -LiteralPath $SourceDirectory -Filter '*.help.psd1' -File)
foreach ($file in $sourceFiles) {
    $name = $file.Name -replace '\.help\.psd1$', ''
    try {
        $sources[$name] = Import-PowerShellDataFile -LiteralPath $file.FullName
    } catch {
        $problems.Add("${name}: $($file.Name) cannot be read: $($_.Exception.Message)")
    }
}
foreach ($command in $commands) {
    $file = "$($command.Name).help.psd1"
    if (-not $sources.ContainsKey($command.Name)) {
        if ($file -notin @($sourceFiles | ForEach-Object Name)) { $problems.Add("$($command.Name): no help source; create $(Join-Path $SourceDirectory $file)") }
        continue
    }
    foreach ($problem in Test-HelpSource -Command $command -Source $sources[$command.Name] -File $file) { $problems.Add($problem) }
}
foreach ($name in $sources.Keys) {
    if ($name -notin @($commands | ForEach-Object Name)) { $problems.Add("${name}: $name.help.psd1 describes a command the module does not export (stale help)") }
}

# About topics: the standard headings, and the command list filled in.
$aboutTopics = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourceDirectory -Filter 'about_*.help.txt' -File) {
    $text = Get-Content -LiteralPath $file.FullName -Raw
    $firstLine = (($text -split "\r?\n") | Where-Object { $_.Trim() } | Select-Object -First 1)
    if ("$firstLine".Trim() -ne 'TOPIC') { $problems.Add("$($file.Name): an about topic must start with the line TOPIC") }
    foreach ($heading in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if ($text -notmatch "(?m)^$heading\s*$") { $problems.Add("$($file.Name): no '$heading' heading") }
    }
    if ($text.Contains($CommandListPlaceholder)) {
        # "    Name   synopsis", the synopsis wrapped at 80 columns under itself.
        $width = (@($commands | ForEach-Object Name) | Measure-Object -Property Length -Maximum).Maximum + 2
        $list = foreach ($command in $commands) {
            $synopsis = if ($sources.ContainsKey($command.Name)) { ("$($sources[$command.Name]['Synopsis'])" -replace '\s+', ' ').Trim() } else { '' }
            $lines = [System.Collections.Generic.List[string]]::new()
            $line = ''
            foreach ($word in $synopsis.Split(' ')) {
                if ($line -and (4 + $width + $line.Length + 1 + $word.Length) -gt 80) { $lines.Add($line); $line = $word }
                else { $line = if ($line) { "$line $word" } else { $word } }
            }
            $lines.Add($line)
            "    {0}{1}" -f $command.Name.PadRight($width), $lines[0]
            foreach ($rest in $lines | Select-Object -Skip 1) { (' ' * (4 + $width)) + $rest }
        }
        $text = $text -replace "(?m)^[ \t]*$([regex]::Escape($CommandListPlaceholder))[ \t]*\r?$", (($list -join "`n") -replace '\$', '$$$$')
    }
    # A command the module exports should not still be listed as planned (the generated list has it anyway).
    $planned = [regex]::Match($text, '(?ms)^[ \t]*Planned for later versions.*?(?=^\S)')
    if ($planned.Success) {
        foreach ($command in $commands) {
            if ($planned.Value -match "(?m)^\s*$([regex]::Escape($command.Name))\b") {
                Write-Warning "$($file.Name): $($command.Name) is exported but still listed under 'Planned for later versions'; remove it from there."
            }
        }
    }
    $aboutTopics[$file.Name] = $text
}
if ($aboutTopics.Count -eq 0) { $problems.Add("no about topic (about_*.help.txt) in $SourceDirectory") }

if ($problems.Count) {
    foreach ($problem in $problems) { Write-Host "Build-Help: $problem" -ForegroundColor Red }
    throw "Build-Help: the help of $($metadata.ModuleName) has $($problems.Count) problem(s):`n  - $($problems -join "`n  - ")"
}

$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$helpFiles = @($commands | Group-Object { if ($_.HelpFile) { $_.HelpFile } else { "$($metadata.RootModule)-Help.xml" } })
foreach ($group in $helpFiles) {
    $path = Join-Path $OutputDirectory $group.Name
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $writer = [System.Xml.XmlWriter]::Create($path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $group.Group) { Write-Command $writer $command $sources[$command.Name] }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    } finally {
        $writer.Dispose()
    }
    # Proof that what was written parses, and holds every command.
    $xml = [xml]::new()
    $xml.Load($path)
    $count = $xml.DocumentElement.ChildNodes.Count
    if ($count -ne $group.Count) { throw "Build-Help: $path holds $count commands, expected $($group.Count)." }
    Write-Host "Help: $($group.Count) command(s) -> $path" -ForegroundColor Green
}
foreach ($name in $aboutTopics.Keys) {
    $path = Join-Path $OutputDirectory $name
    Set-Content -LiteralPath $path -Value $aboutTopics[$name] -Encoding utf8NoBOM -NoNewline
    Write-Host "Help: about topic -> $path" -ForegroundColor Green
}
Write-Verbose "Build-Help took $([int]$started.Elapsed.TotalMilliseconds) ms."
