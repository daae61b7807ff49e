// The test environment's values for main.bicep.
using './main.bicep'

param environmentName = 'test'
param projectName = 'diabetes'
param location = 'eastus'
