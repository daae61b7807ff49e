// A Foundry resource with one project, reached only through a private endpoint, with keys switched off
// and a developer given the least role that lets them build in it.
// Deploy it to a resource group: see deploy_foundry.sh.
targetScope = 'resourceGroup'

@description('Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('Name of the Foundry resource; also its custom subdomain, which Entra ID tokens need.')
@minLength(2)
@maxLength(64)
param foundryName string = 'aif-ai300'

@description('Name of the project inside the Foundry resource.')
param projectName string = 'proj-ai300-chat'

@description('Object id of the developer (or group) who builds in the project.')
param developerPrincipalId string

@description('Resource id of the subnet where private endpoints go.')
param endpointsSubnetId string

@description('Resource id of the virtual network whose clients resolve the private names.')
param clientsVnetId string

// Foundry User, formerly named Azure AI User (the role id did not change with the rename).
var foundryUserRoleId = '53ca6127-db72-4b80-b1b0-d745d6d5456d'

// --8<-- [start:account]
resource foundry 'Microsoft.CognitiveServices/accounts@2026-05-01' = {
  name: foundryName
  location: location
  kind: 'AIServices'
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    allowProjectManagement: true // projects are child resources of this account
    customSubDomainName: foundryName // <name>.services.ai.azure.com: required for Entra ID tokens
    disableLocalAuth: true // no API keys: callers bring an Entra ID token
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      ipRules: []
      virtualNetworkRules: []
    }
  }
}

resource project 'Microsoft.CognitiveServices/accounts/projects@2026-05-01' = {
  parent: foundry
  name: projectName
  location: location
  identity: {
    type: 'SystemAssigned' // the project's own identity, for what it reaches on its users' behalf
  }
  properties: {
    displayName: 'Chat assistant'
    description: 'Prompts, evaluations, agents and deployments of one team\'s chat app'
  }
}
// --8<-- [end:account]

// --8<-- [start:models]
// The models the later chapters call, deployed on the account: every project of the account sees them.
// An account takes one deployment change at a time (two side by side fail with RequestConflict),
// so each deployment waits for the one before it.
resource chatModel 'Microsoft.CognitiveServices/accounts/deployments@2026-05-01' = {
  parent: foundry
  name: 'gpt-4.1-mini' // the name code passes as model=; here the model's own name
  sku: {
    name: 'GlobalStandard'
    capacity: 50 // thousands of tokens a minute, taken from the subscription's quota
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: 'gpt-4.1-mini'
      version: '2025-04-14'
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired' // pinned until this version retires
  }
}

resource judgeModel 'Microsoft.CognitiveServices/accounts/deployments@2026-05-01' = {
  parent: foundry
  name: 'gpt-4.1' // the evaluators' judge: a stronger model than the one it grades
  sku: {
    name: 'GlobalStandard'
    capacity: 50
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: 'gpt-4.1'
      version: '2025-04-14'
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
  dependsOn: [
    chatModel
  ]
}

resource embeddingModel 'Microsoft.CognitiveServices/accounts/deployments@2026-05-01' = {
  parent: foundry
  name: 'text-embedding-3-small' // vectors for search and similarity
  sku: {
    name: 'GlobalStandard'
    capacity: 100
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: 'text-embedding-3-small'
      version: '1'
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
  dependsOn: [
    judgeModel
  ]
}
// --8<-- [end:models]

// --8<-- [start:role]
resource developerIsFoundryUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(project.id, developerPrincipalId, foundryUserRoleId)
  scope: project // the narrowest scope that lets them build: one project, not the whole account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', foundryUserRoleId)
    principalId: developerPrincipalId
    principalType: 'User'
  }
}
// --8<-- [end:role]

// --8<-- [start:private]
resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${foundryName}'
  location: location
  properties: {
    subnet: {
      id: endpointsSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'foundry-account'
        properties: {
          privateLinkServiceId: foundry.id
          groupIds: [
            'account' // the one sub-resource of a Foundry resource
          ]
        }
      }
    ]
  }
}

// The account's names resolve in three zones: its Foundry, OpenAI and Cognitive Services endpoints.
var zoneNames = [
  'privatelink.services.ai.azure.com'
  'privatelink.openai.azure.com'
  'privatelink.cognitiveservices.azure.com'
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in zoneNames: {
  name: zone
  location: 'global'
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in zoneNames: {
  parent: zones[i]
  name: 'link-clients'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: clientsVnetId
    }
  }
}]

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [for (zone, i) in zoneNames: {
      name: replace(zone, '.', '-')
      properties: {
        privateDnsZoneId: zones[i].id
      }
    }]
  }
}
// --8<-- [end:private]

output foundryEndpoint string = 'https://${foundryName}.services.ai.azure.com/'
output projectEndpoint string = 'https://${foundryName}.services.ai.azure.com/api/projects/${projectName}'
output projectPrincipalId string = project.identity.principalId
