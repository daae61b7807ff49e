// The prod environment's values for main.bicep.
using './main.bicep'

param environmentName = 'prod'
param projectName = 'diabetes'
param location = 'eastus'
