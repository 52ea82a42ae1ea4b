import { Module } from '@nestjs/common';
import { IncubationModule } from './incubation.module';
import { MATERIAL_HANDLERS } from './use-cases/materials/materials.handlers';

/**
 * Application materials (docs/materials.md): the handlers that need the blob store, kept out
 * of IncubationModule so that the worker, which never touches files, does not open one. The
 * importing app provides `BlobStore` (BlobStoreModule.forRoot()).
 */
@Module({
  imports: [IncubationModule],
  providers: [...MATERIAL_HANDLERS],
})
export class MaterialsModule {}
