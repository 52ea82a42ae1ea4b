import { Module } from '@nestjs/common';
import { IncubationModule } from './incubation.module';
import { AttachMaterialHandler } from './use-cases/attach-material/attach-material.handler';
import { RemoveMaterialHandler } from './use-cases/remove-material/remove-material.handler';

/**
 * Application materials (docs/materials.md): the handlers that need the blob store, kept out
 * of IncubationModule so that the worker, which never touches files, does not open one. The
 * importing app provides `BlobStore` (BlobStoreModule.forRoot()).
 */
@Module({
  imports: [IncubationModule],
  providers: [AttachMaterialHandler, RemoveMaterialHandler],
})
export class MaterialsModule {}
